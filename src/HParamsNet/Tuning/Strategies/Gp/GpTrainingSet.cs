namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// The points a Gaussian process is conditioned on, with what every kernel evaluation needs and θ
/// does not change: for each pair of points, the squared distance within each length-scale group.
/// A hyperparameter search evaluates the kernel some 25 times on the same points; it computes these
/// once instead of once per evaluation.
/// </summary>
internal sealed class GpTrainingSet
{
    public GpTrainingSet(double[][] x, double[] y, int[] groups)
    {
        X = x;
        Y = y;
        Groups = groups;
        GroupCount = groups.Length == 0 ? 0 : groups.Max() + 1;
        int n = x.Length;
        PairDistances = new double[n * (n - 1) / 2 * GroupCount];
        for (int i = 1; i < n; i++)
        {
            for (int j = 0; j < i; j++)
            {
                Span<double> pair = PairDistances.AsSpan(PairOffset(i, j), GroupCount);
                for (int c = 0; c < groups.Length; c++)
                {
                    double d = x[i][c] - x[j][c];
                    pair[groups[c]] += d * d;
                }
            }
        }
    }

    public double[][] X { get; }

    public double[] Y { get; }

    /// <summary>The length-scale group of each input column.</summary>
    public int[] Groups { get; }

    public int GroupCount { get; }

    public int Count => X.Length;

    /// <summary>For pair (i, j), j &lt; i, the squared distances per group from <see cref="PairOffset"/> on.</summary>
    public double[] PairDistances { get; }

    public int PairOffset(int i, int j) => ((i * (i - 1) / 2) + j) * GroupCount;
}
