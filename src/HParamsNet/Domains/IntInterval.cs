namespace HParamsNet;

/// <summary>
/// All whole numbers in the closed interval [<see cref="NumericInterval{T}.MinValue"/>, <see cref="NumericInterval{T}.MaxValue"/>].
/// TensorBoard has no integer type: the experiment declares it as a FLOAT64 interval.
/// </summary>
public sealed record IntInterval : NumericInterval<long>
{
    /// <summary>Creates the interval [<paramref name="minValue"/>, <paramref name="maxValue"/>].</summary>
    /// <param name="minValue">The lower bound, included.</param>
    /// <param name="maxValue">The upper bound, included; not below <paramref name="minValue"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="minValue"/> &gt; <paramref name="maxValue"/>.</exception>
    public IntInterval(long minValue, long maxValue)
        : base(minValue, maxValue)
    {
    }

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

    internal override bool ContainsNormalized(object value) => value switch
    {
        long l => l >= MinValue && l <= MaxValue,
        double d => d == Math.Floor(d) && d >= MinValue && d <= MaxValue,
        _ => false,
    };
}
