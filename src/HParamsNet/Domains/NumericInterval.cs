using System.Globalization;
using System.Numerics;
using HParamsNet.Protos.HParams;

namespace HParamsNet;

/// <summary>
/// The numbers of type <typeparamref name="T"/> in the closed interval [<see cref="MinValue"/>,
/// <see cref="MaxValue"/>], optionally searched on a log scale: what <see cref="IntInterval"/>
/// and <see cref="RealInterval"/> share. TensorBoard declares both as FLOAT64 intervals.
/// </summary>
/// <typeparam name="T"><see cref="long"/> or <see cref="double"/>.</typeparam>
public abstract record NumericInterval<T> : Domain
    where T : struct, INumber<T>
{
    private readonly bool _log;

    /// <summary>Creates the interval [<paramref name="minValue"/>, <paramref name="maxValue"/>].</summary>
    /// <param name="minValue">The lower bound, included.</param>
    /// <param name="maxValue">The upper bound, included; not below <paramref name="minValue"/>.</param>
    /// <exception cref="ArgumentException"><paramref name="minValue"/> &gt; <paramref name="maxValue"/>.</exception>
    private protected NumericInterval(T minValue, T maxValue)
    {
        if (minValue > maxValue)
        {
            throw new ArgumentException($"{Describe(minValue, maxValue)}: the minimum is greater than the maximum; swap them.", nameof(minValue));
        }

        MinValue = minValue;
        MaxValue = maxValue;
    }

    /// <summary>The lower bound, included.</summary>
    public T MinValue { get; }

    /// <summary>The upper bound, included.</summary>
    public T MaxValue { get; }

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
            if (value && MinValue <= T.Zero)
            {
                throw new ArgumentException($"{this}: a log-scale interval needs a minimum above zero.", nameof(Log));
            }

            _log = value;
        }
    }

    /// <inheritdoc/>
    public override Type ValueType => typeof(T);

    /// <inheritdoc/>
    public sealed override string ToString() => $"{Describe(MinValue, MaxValue)[..^1]}{(Log ? ", log" : string.Empty)})";

    internal override void Describe(HParamInfo info)
    {
        info.Type = DataType.Float64;
        info.DomainInterval = new Interval { MinValue = double.CreateChecked(MinValue), MaxValue = double.CreateChecked(MaxValue) };
    }

    // "IntInterval(1, 5)": the type's name and the bounds, each as it round-trips.
    private protected string Describe(T minValue, T maxValue) =>
        $"{GetType().Name}({Format(minValue)}, {Format(maxValue)})";

    private protected static string Format(T value) => value.ToString(null, CultureInfo.InvariantCulture);
}
