using System.Globalization;
using HParamsNet.Protos.HParams;

namespace HParamsNet;

/// <summary>All real numbers in the closed interval [<see cref="MinValue"/>, <see cref="MaxValue"/>].</summary>
public sealed record RealInterval : Domain
{
    private readonly bool _log;

    /// <summary>Creates the interval [<paramref name="minValue"/>, <paramref name="maxValue"/>].</summary>
    /// <param name="minValue">The lower bound, included; finite.</param>
    /// <param name="maxValue">The upper bound, included; finite and not below <paramref name="minValue"/>.</param>
    /// <exception cref="ArgumentException">A bound is NaN or infinite, or <paramref name="minValue"/> &gt; <paramref name="maxValue"/>.</exception>
    public RealInterval(double minValue, double maxValue)
    {
        if (!double.IsFinite(minValue) || !double.IsFinite(maxValue))
        {
            throw new ArgumentException(
                $"RealInterval({Format(minValue)}, {Format(maxValue)}): both bounds must be finite numbers.",
                double.IsFinite(minValue) ? nameof(maxValue) : nameof(minValue));
        }

        if (minValue > maxValue)
        {
            throw new ArgumentException(
                $"RealInterval({Format(minValue)}, {Format(maxValue)}): the minimum is greater than the maximum; swap them.",
                nameof(minValue));
        }

        if (!double.IsFinite(maxValue - minValue))
        {
            throw new ArgumentException(
                $"RealInterval({Format(minValue)}, {Format(maxValue)}): its width overflows a double (max - min = {Format(maxValue - minValue)}), so no strategy can place points in it. Narrow it (each bound within ±8.9e307), or use a log scale for a positive range.",
                nameof(maxValue));
        }

        MinValue = minValue;
        MaxValue = maxValue;
    }

    /// <summary>The lower bound, included.</summary>
    public double MinValue { get; }

    /// <summary>The upper bound, included.</summary>
    public double MaxValue { get; }

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
    public override Type ValueType => typeof(double);

    /// <inheritdoc/>
    public override object SampleUniform(Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        double sample = Log
            ? Math.Exp(Math.Log(MinValue) + (random.NextDouble() * (Math.Log(MaxValue) - Math.Log(MinValue))))
            : MinValue + (random.NextDouble() * (MaxValue - MinValue));
        return Math.Clamp(sample, MinValue, MaxValue); // rounding in exp/log must not leave the domain
    }

    /// <inheritdoc/>
    public override string ToString() => $"RealInterval({Format(MinValue)}, {Format(MaxValue)}{(Log ? ", log" : string.Empty)})";

    internal override bool ContainsNormalized(object value) =>
        HParamValues.IsNumber(value) && HParamValues.ToDouble(value) is var x && x >= MinValue && x <= MaxValue;

    internal override void Describe(HParamInfo info)
    {
        info.Type = DataType.Float64;
        info.DomainInterval = new Interval { MinValue = MinValue, MaxValue = MaxValue };
    }

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
