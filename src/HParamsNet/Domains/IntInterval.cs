using System.Globalization;
using HParamsNet.Protos.HParams;

namespace HParamsNet;

/// <summary>
/// All whole numbers in the closed interval [<see cref="MinValue"/>, <see cref="MaxValue"/>].
/// TensorBoard has no integer type: the experiment declares it as a FLOAT64 interval.
/// </summary>
public sealed record IntInterval : Domain
{
    private readonly bool _log;

    /// <summary>Creates the interval [<paramref name="minValue"/>, <paramref name="maxValue"/>].</summary>
    /// <param name="minValue">The lower bound, included.</param>
    /// <param name="maxValue">The upper bound, included; not below <paramref name="minValue"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="minValue"/> &gt; <paramref name="maxValue"/>.</exception>
    public IntInterval(long minValue, long maxValue)
    {
        if (minValue > maxValue)
        {
            throw new ArgumentException(
                $"IntInterval({minValue}, {maxValue}): the minimum is greater than the maximum; swap them.",
                nameof(minValue));
        }

        MinValue = minValue;
        MaxValue = maxValue;
    }

    /// <summary>The lower bound, included.</summary>
    public long MinValue { get; }

    /// <summary>The upper bound, included.</summary>
    public long MaxValue { get; }

    /// <summary>
    /// Whether the interval is searched on a log scale (e.g. learning rates): random search
    /// samples the logarithm uniformly, grids space points evenly in the logarithm. Needs a
    /// minimum above zero. TensorBoard does not store it.
    /// </summary>
    /// <exception cref="ArgumentException">Set on an interval whose minimum is not above zero.</exception>
    public bool Log
    {
        get => _log;
        init
        {
            if (value && MinValue <= 0)
            {
                throw new ArgumentException($"{this}: a log-scale interval needs a minimum above zero.", nameof(Log));
            }

            _log = value;
        }
    }

    /// <inheritdoc/>
    public override Type ValueType => typeof(long);

    /// <inheritdoc/>
    public override object SampleUniform(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        if (Log)
        {
            // Uniform in log(x) over [min - 0.5, max + 0.5), rounded: each integer gets its share of the log scale.
            double low = Math.Log(MinValue - 0.5 <= 0 ? MinValue : MinValue - 0.5);
            double high = Math.Log(MaxValue + 0.5);
            long rounded = (long)Math.Round(Math.Exp(low + (random.NextDouble() * (high - low))));
            return Math.Clamp(rounded, MinValue, MaxValue);
        }

        if (MaxValue < long.MaxValue)
        {
            return random.NextInt64(MinValue, MaxValue + 1);
        }

        if (MinValue > long.MinValue)
        {
            return random.NextInt64(MinValue - 1, MaxValue) + 1;
        }

        // The whole range of long: every bit pattern is a member.
        Span<byte> bits = stackalloc byte[sizeof(long)];
        random.NextBytes(bits);
        return BitConverter.ToInt64(bits);
    }

    /// <inheritdoc/>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"IntInterval({MinValue}, {MaxValue}{(Log ? ", log" : string.Empty)})");

    internal override bool ContainsNormalized(object value) => value switch
    {
        long l => l >= MinValue && l <= MaxValue,
        double d => d == Math.Floor(d) && d >= MinValue && d <= MaxValue,
        _ => false,
    };

    internal override void Describe(HParamInfo info)
    {
        info.Type = DataType.Float64;
        info.DomainInterval = new Interval { MinValue = MinValue, MaxValue = MaxValue };
    }
}
