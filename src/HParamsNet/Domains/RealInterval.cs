namespace HParamsNet;

/// <summary>All real numbers in the closed interval [<see cref="NumericInterval{T}.MinValue"/>, <see cref="NumericInterval{T}.MaxValue"/>].</summary>
public sealed record RealInterval : NumericInterval<double>
{
    /// <summary>Creates the interval [<paramref name="minValue"/>, <paramref name="maxValue"/>].</summary>
    /// <param name="minValue">The lower bound, included; finite.</param>
    /// <param name="maxValue">The upper bound, included; finite and not below <paramref name="minValue"/>.</param>
    /// <exception cref="ArgumentException">A bound is NaN or infinite, or <paramref name="minValue"/> &gt; <paramref name="maxValue"/>.</exception>
    public RealInterval(double minValue, double maxValue)
        : base(Finite(minValue, maxValue), maxValue)
    {
        if (!double.IsFinite(maxValue - minValue))
        {
            throw new ArgumentException(
                $"RealInterval({Format(minValue)}, {Format(maxValue)}): its width overflows a double (max - min = {Format(maxValue - minValue)}), so no strategy can place points in it. Narrow it (each bound within ±8.9e307), or use a log scale for a positive range.",
                nameof(maxValue));
        }
    }

    /// <inheritdoc/>
    public override object SampleUniform(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double sample = Log
            ? Math.Exp(Math.Log(MinValue) + (random.NextDouble() * (Math.Log(MaxValue) - Math.Log(MinValue))))
            : MinValue + (random.NextDouble() * (MaxValue - MinValue));
        return Math.Clamp(sample, MinValue, MaxValue); // rounding in exp/log must not leave the domain
    }

    internal override bool ContainsNormalized(object value) =>
        HParamValues.IsNumber(value) && HParamValues.ToDouble(value) is var x && x >= MinValue && x <= MaxValue;

    // Checked before the base compares the bounds: a NaN or an infinity gets its own message.
    private static double Finite(double minValue, double maxValue) =>
        double.IsFinite(minValue) && double.IsFinite(maxValue)
            ? minValue
            : throw new ArgumentException(
                $"RealInterval({Format(minValue)}, {Format(maxValue)}): both bounds must be finite numbers.",
                double.IsFinite(minValue) ? nameof(maxValue) : nameof(minValue));
}
