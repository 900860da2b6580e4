using System.Globalization;
using HParamsNet.Protos.HParams;

namespace HParamsNet;

/// <summary>
/// All whole numbers in the closed interval [<see cref="MinValue"/>, <see cref="MaxValue"/>].
/// TensorBoard has no integer type: the experiment declares it as a FLOAT64 interval.
/// </summary>
public sealed record IntInterval : Domain
{
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

    /// <inheritdoc/>
    public override Type ValueType => typeof(long);

    /// <inheritdoc/>
    public override object SampleUniform(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
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
        string.Create(CultureInfo.InvariantCulture, $"IntInterval({MinValue}, {MaxValue})");

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
