namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// The GP's input space: each numeric coordinate of a <see cref="SpaceEncoding"/> scaled to [0, 1],
/// each categorical one as one-hot columns that share one length-scale group.
/// </summary>
internal sealed class UnitCube
{
    private static readonly double[] Steps = [0.1, 0.03, 0.01, 0.003, 0.001];

    private readonly SpaceEncoding _encoding;
    private readonly int[] _firstColumn;

    public UnitCube(SpaceEncoding encoding)
    {
        _encoding = encoding;
        _firstColumn = new int[encoding.Dimensions.Length];
        var groups = new List<int>();
        for (int d = 0; d < encoding.Dimensions.Length; d++)
        {
            _firstColumn[d] = groups.Count;
            int width = encoding.Dimensions[d].IsCategorical ? encoding.Dimensions[d].Categories : 1;
            groups.AddRange(Enumerable.Repeat(d, width));
        }

        Groups = [.. groups];
        GroupCount = encoding.Dimensions.Length;
    }

    /// <summary>The length-scale group of each column (one per hparam).</summary>
    public int[] Groups { get; }

    public int GroupCount { get; }

    public int Columns => Groups.Length;

    public double[] ToUnit(double[] encoded)
    {
        var unit = new double[Columns];
        for (int d = 0; d < encoded.Length; d++)
        {
            SpaceEncoding.Dimension dimension = _encoding.Dimensions[d];
            if (dimension.IsCategorical)
            {
                unit[_firstColumn[d] + (int)encoded[d]] = 1;
            }
            else
            {
                unit[_firstColumn[d]] = dimension.High > dimension.Low ? (encoded[d] - dimension.Low) / (dimension.High - dimension.Low) : 0.5;
            }
        }

        return unit;
    }

    public double[] FromUnit(double[] unit)
    {
        var encoded = new double[_encoding.Dimensions.Length];
        for (int d = 0; d < encoded.Length; d++)
        {
            SpaceEncoding.Dimension dimension = _encoding.Dimensions[d];
            int column = _firstColumn[d];
            if (dimension.IsCategorical)
            {
                encoded[d] = Category(unit, column, dimension.Categories);
            }
            else
            {
                encoded[d] = dimension.Low + (Math.Clamp(unit[column], 0, 1) * (dimension.High - dimension.Low));
            }
        }

        return encoded;
    }

    /// <summary>
    /// The nearest point the search can actually propose: integers and numeric choices rounded,
    /// categories one-hot. The acquisition is then scored where the trial will really run.
    /// </summary>
    public double[] Snap(double[] unit)
    {
        var snapped = new double[Columns];
        for (int d = 0; d < _encoding.Dimensions.Length; d++)
        {
            SpaceEncoding.Dimension dimension = _encoding.Dimensions[d];
            int column = _firstColumn[d];
            if (dimension.IsCategorical)
            {
                snapped[column + Category(unit, column, dimension.Categories)] = 1;
            }
            else if (dimension.High > dimension.Low)
            {
                double encoded = dimension.Snap(dimension.Low + (Math.Clamp(unit[column], 0, 1) * (dimension.High - dimension.Low)));
                snapped[column] = (encoded - dimension.Low) / (dimension.High - dimension.Low);
            }
            else
            {
                snapped[column] = 0.5;
            }
        }

        return snapped;
    }

    // The category whose one-hot column is largest (the first on ties).
    private static int Category(double[] unit, int column, int categories)
    {
        int best = 0;
        for (int c = 1; c < categories; c++)
        {
            best = unit[column + c] > unit[column + best] ? c : best;
        }

        return best;
    }

    /// <summary>Coordinate search from <paramref name="start"/>: numeric steps shrinking from 0.1 to 0.001, every category.</summary>
    public (double[] Point, double Score) Refine(double[] start, double startScore, Func<double[], double> score)
    {
        double[] best = start;
        double bestScore = startScore;
        for (int round = 0; round < 2; round++)
        {
            for (int d = 0; d < _encoding.Dimensions.Length; d++)
            {
                SpaceEncoding.Dimension dimension = _encoding.Dimensions[d];
                int column = _firstColumn[d];
                if (dimension.IsCategorical)
                {
                    for (int c = 0; c < dimension.Categories; c++)
                    {
                        double[] candidate = (double[])best.Clone();
                        Array.Clear(candidate, column, dimension.Categories);
                        candidate[column + c] = 1;
                        Try(candidate);
                    }

                    continue;
                }

                foreach (double step in Steps)
                {
                    foreach (double direction in new[] { -1.0, 1.0 })
                    {
                        double[] candidate = (double[])best.Clone();
                        candidate[column] = Math.Clamp(candidate[column] + (direction * step), 0, 1);
                        Try(Snap(candidate));
                    }
                }
            }
        }

        return (best, bestScore);

        void Try(double[] candidate)
        {
            double value = score(candidate);
            if (value > bestScore)
            {
                best = candidate;
                bestScore = value;
            }
        }
    }
}
