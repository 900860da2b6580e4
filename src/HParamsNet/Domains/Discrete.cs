using System.Text;
using ListValue = Google.Protobuf.WellKnownTypes.ListValue;
using HParamsNet.Protos.HParams;

namespace HParamsNet;

/// <summary>
/// A fixed set of values: all numbers, all strings or all bools. Values are kept sorted, as
/// TensorBoard's Python API writes them.
/// </summary>
public sealed record Discrete : Domain
{
    private readonly object[] _values;

    /// <summary>Creates a domain of the given values.</summary>
    /// <param name="values">Numbers (any mix of whole and fractional), strings, or bools; at least one; no duplicates.</param>
    /// <exception cref="ArgumentException">No values, a null, NaN or infinite value, a duplicate, or values of mixed kinds; the message names them.</exception>
    public Discrete(params object[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            throw new ArgumentException("Discrete() needs at least one value.", nameof(values));
        }

        var normalized = new object[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            normalized[i] = HParamValues.Normalize($"Discrete value #{i}", values[i]);
        }

        var kinds = normalized.Select(HParamValues.KindOf).Distinct().ToList();
        if (kinds.Count > 1)
        {
            string listed = string.Join(", ", normalized.Select(v => $"{HParamValues.Format(v)} ({HParamValues.KindOf(v)})"));
            throw new ArgumentException(
                $"Discrete values must be all numbers, all strings or all bools; got {listed}. TensorBoard cannot filter or plot an hparam of mixed kinds: use one kind (e.g. strings for all).",
                nameof(values));
        }

        Array.Sort(normalized, HParamValues.Compare);
        for (int i = 1; i < normalized.Length; i++)
        {
            if (HParamValues.AreEqual(normalized[i - 1], normalized[i]))
            {
                throw new ArgumentException(
                    $"Discrete values must be distinct; {HParamValues.Format(normalized[i])} appears more than once.",
                    nameof(values));
            }
        }

        // All numbers: long only when every value is whole, as Python would type the list.
        if (normalized[0] is long || normalized[0] is double)
        {
            bool allWhole = normalized.All(v => v is long);
            if (!allWhole)
            {
                for (int i = 0; i < normalized.Length; i++)
                {
                    normalized[i] = HParamValues.ToDouble(normalized[i]);
                }
            }
        }

        _values = normalized;
        ValueType = normalized[0].GetType();
    }

    /// <summary>The values, sorted: numbers ascending, strings by code point, false before true.</summary>
    public IReadOnlyList<object> Values => _values;

    /// <inheritdoc/>
    public override Type ValueType { get; }

    /// <inheritdoc/>
    public override object SampleUniform(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        return _values[random.Next(_values.Length)];
    }

    /// <inheritdoc/>
    public bool Equals(Discrete? other) =>
        other is not null && _values.Length == other._values.Length
        && _values.Zip(other._values).All(pair => pair.First.Equals(pair.Second));

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = default(HashCode);
        foreach (object value in _values)
        {
            hash.Add(value);
        }

        return hash.ToHashCode();
    }

    /// <inheritdoc/>
    public override string ToString()
    {
        var text = new StringBuilder("Discrete(");
        text.AppendJoin(", ", _values.Select(HParamValues.Format));
        return text.Append(')').ToString();
    }

    internal override bool ContainsNormalized(object value) =>
        Array.Exists(_values, member => HParamValues.AreEqual(member, value));

    internal override void Describe(HParamInfo info)
    {
        info.Type = _values[0] switch
        {
            string => DataType.String,
            bool => DataType.Bool,
            _ => DataType.Float64,
        };
        var list = new ListValue();
        foreach (object value in _values)
        {
            list.Values.Add(HParamValues.ToProto(value));
        }

        info.DomainDiscrete = list;
    }
}
