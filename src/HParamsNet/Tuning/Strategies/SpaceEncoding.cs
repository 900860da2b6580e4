namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// Maps configurations to and from the coordinates model-based strategies work in: numeric
/// hparams to a real interval (the logarithm for log-scale domains; integers and ordered numeric
/// choices widened by half a step on each side, so rounding gives each value an equal share), and
/// string/bool hparams to category indices.
/// </summary>
internal sealed class SpaceEncoding
{
    public SpaceEncoding(IReadOnlyList<HParam> space)
    {
        Space = space;
        Dimensions = space.Select(Dimension.For).ToArray();
    }

    public IReadOnlyList<HParam> Space { get; }

    /// <summary>The cached encoding if it is of <paramref name="space"/>, else a new one (cached).</summary>
    public static SpaceEncoding Of(IReadOnlyList<HParam> space, ref SpaceEncoding? cache)
    {
        if (cache is null || !ReferenceEquals(cache.Space, space))
        {
            cache = new SpaceEncoding(space);
        }

        return cache;
    }

    public Dimension[] Dimensions { get; }

    /// <summary>
    /// The coordinates of a recorded configuration, or null if it does not fit the space. An hparam
    /// whose condition does not hold there has no coordinate: NaN (see <see cref="Imputed"/>).
    /// </summary>
    public double[]? Encode(IReadOnlyDictionary<string, object> hparams)
    {
        var point = new double[Dimensions.Length];
        for (int i = 0; i < Dimensions.Length; i++)
        {
            if (!hparams.TryGetValue(Space[i].Name, out object? value))
            {
                if (ConditionalSpace.IsActiveIn(Space[i], hparams))
                {
                    return null;
                }

                point[i] = double.NaN;
                continue;
            }

            if (Dimensions[i].Encode(value) is not double x)
            {
                return null;
            }

            point[i] = x;
        }

        return point;
    }

    /// <summary>
    /// The point with each inactive coordinate at the middle of its dimension (the first category):
    /// how the GP and the genetic strategy see a conditional space, one fixed value standing for
    /// "absent", so that trials of every branch share one model.
    /// </summary>
    public double[]? Imputed(double[]? point)
    {
        if (point is null || !Array.Exists(point, double.IsNaN))
        {
            return point;
        }

        double[] filled = (double[])point.Clone();
        for (int i = 0; i < filled.Length; i++)
        {
            if (double.IsNaN(filled[i]))
            {
                filled[i] = Dimensions[i].IsCategorical ? 0 : (Dimensions[i].Low + Dimensions[i].High) / 2;
            }
        }

        return filled;
    }

    /// <summary>The configuration at <paramref name="point"/>.</summary>
    public Dictionary<HParam, object> Decode(double[] point)
    {
        var configuration = new Dictionary<HParam, object>(Space.Count);
        for (int i = 0; i < Dimensions.Length; i++)
        {
            configuration[Space[i]] = Dimensions[i].Decode(point[i]);
        }

        return configuration;
    }

    /// <summary>One coordinate: either a real interval [Low, High] or a set of Categories.</summary>
    internal sealed class Dimension
    {
        private readonly Domain _domain;
        private readonly IReadOnlyList<object>? _values;

        private Dimension(Domain domain, double low, double high, int categories, bool log, IReadOnlyList<object>? values)
        {
            _domain = domain;
            Low = low;
            High = high;
            Categories = categories;
            IsLog = log;
            _values = values;
        }

        public double Low { get; }

        public double High { get; }

        /// <summary>Category count for a categorical dimension; 0 for a numeric one.</summary>
        public int Categories { get; }

        public bool IsCategorical => Categories > 0;

        public bool IsLog { get; }

        public static Dimension For(HParam hparam) => hparam.Domain switch
        {
            RealInterval r => new Dimension(r, Log(r.MinValue, r.Log), Log(r.MaxValue, r.Log), 0, r.Log, null),
            IntInterval i => i.Log
                ? new Dimension(i, Math.Log(Math.Max(i.MinValue - 0.5, i.MinValue * 0.5)), Math.Log(i.MaxValue + 0.5), 0, true, null)
                : new Dimension(i, i.MinValue - 0.5, i.MaxValue + 0.5, 0, false, null),
            Discrete d when d.ValueType == typeof(string) || d.ValueType == typeof(bool) => new Dimension(d, 0, d.Values.Count - 1, d.Values.Count, false, d.Values),
            Discrete d => new Dimension(d, -0.5, d.Values.Count - 0.5, 0, false, d.Values),
            _ => throw new NotSupportedException($"Hparam '{hparam.Name}': {hparam.Domain} is not supported by model-based strategies."),
        };

        public double? Encode(object value)
        {
            switch (_domain)
            {
                case Discrete:
                    int index = IndexOf(value);
                    return index < 0 ? null : index;
                default:
                    if (!HParamValues.IsNumber(value) || !_domain.Contains(value))
                    {
                        return null;
                    }

                    double x = HParamValues.ToDouble(value);
                    return IsLog ? Math.Log(x) : x;
            }
        }

        public object Decode(double x)
        {
            double nearest = Nearest(x);
            return _domain switch
            {
                RealInterval => nearest,
                IntInterval => (long)nearest,
                _ => _values![(int)nearest],
            };
        }

        /// <summary>
        /// The coordinate of the value nearest <paramref name="x"/> (an integer, a listed number, a
        /// clamped real): <c>Encode(Decode(x))</c> for a numeric dimension, without boxing, as the
        /// GP's acquisition search does it hundreds of times a proposal.
        /// </summary>
        public double Snap(double x)
        {
            double nearest = Nearest(x);
            return IsLog ? Math.Log(nearest) : nearest;
        }

        // The value nearest x as a number: the real clamped to its interval, the whole number
        // rounded and clamped, or the index of the listed value. Decode and Snap share this rule.
        private double Nearest(double x) => _domain switch
        {
            RealInterval r => Math.Clamp(IsLog ? Math.Exp(x) : x, r.MinValue, r.MaxValue),
            IntInterval i => Math.Clamp(Math.Round(IsLog ? Math.Exp(x) : x, MidpointRounding.AwayFromZero), i.MinValue, i.MaxValue),
            _ => Math.Clamp(Math.Round(x, MidpointRounding.AwayFromZero), 0, _values!.Count - 1),
        };

        private int IndexOf(object value)
        {
            for (int i = 0; i < _values!.Count; i++)
            {
                if (HParamValues.AreEqual(_values[i], value))
                {
                    return i;
                }
            }

            return -1;
        }

        private static double Log(double x, bool log) => log ? Math.Log(x) : x;
    }
}
