namespace HParamsNet.Trials;

/// <summary>
/// Pareto dominance among points whose every coordinate is minimised (a study's objectives turned
/// into losses): who dominates whom, the non-dominated sorting of NSGA-II (Deb et al., 2002) and
/// its crowding distance. Constrained domination (Deb's rule) ranks by feasibility first: a
/// feasible point beats any infeasible one, and of two infeasible points the smaller total
/// violation wins.
/// </summary>
public static class Pareto
{
    /// <summary>Whether <paramref name="a"/> is no worse than <paramref name="b"/> in every coordinate and better in one.</summary>
    /// <param name="a">A point (losses).</param>
    /// <param name="b">A point of the same dimension.</param>
    public static bool Dominates(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        if (a.Length != b.Length)
        {
            throw new ArgumentException($"Points of {a.Length} and {b.Length} coordinates cannot be compared.", nameof(b));
        }

        bool better = false;
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] > b[i])
            {
                return false;
            }

            better |= a[i] < b[i];
        }

        return better;
    }

    /// <summary>
    /// Deb's constrained domination: <paramref name="a"/> beats <paramref name="b"/> when only it is
    /// feasible (violation 0), when both are infeasible and its violation is smaller, or when both
    /// are feasible and it dominates.
    /// </summary>
    /// <param name="a">A point (losses).</param>
    /// <param name="violationA">The sum of <paramref name="a"/>'s positive constraint values; 0 when feasible.</param>
    /// <param name="b">Another point.</param>
    /// <param name="violationB">The sum of <paramref name="b"/>'s positive constraint values.</param>
    public static bool ConstrainedDominates(ReadOnlySpan<double> a, double violationA, ReadOnlySpan<double> b, double violationB) =>
        (violationA, violationB) switch
        {
            (0, 0) => Dominates(a, b),
            (0, _) => true,
            (_, 0) => false,
            _ => violationA < violationB,
        };

    /// <summary>How much a trial's constraints are violated: the sum of the positive values (0 when every constraint holds).</summary>
    /// <param name="constraints">The constraint values (feasible when each is at most 0).</param>
    public static double Violation(IReadOnlyList<double> constraints)
    {
        ArgumentNullException.ThrowIfNull(constraints);
        double sum = 0;
        foreach (double c in constraints)
        {
            sum += double.IsNaN(c) ? double.PositiveInfinity : Math.Max(0, c);
        }

        return sum;
    }

    /// <summary>
    /// The non-dominated rank of every point: 0 for the points no other dominates (the front), 1 for
    /// those only rank-0 points dominate, and so on.
    /// </summary>
    /// <param name="points">The points (losses), all of one dimension.</param>
    /// <param name="violations">Each point's constraint violation (constrained domination); plain domination when <see langword="null"/>.</param>
    public static int[] NonDominatedRanks(IReadOnlyList<double[]> points, IReadOnlyList<double>? violations = null)
    {
        ArgumentNullException.ThrowIfNull(points);
        int n = points.Count;
        var ranks = new int[n];
        var dominatedBy = new int[n]; // how many points dominate i
        var dominates = new List<int>[n];
        for (int i = 0; i < n; i++)
        {
            dominates[i] = [];
        }

        for (int i = 0; i < n; i++)
        {
            for (int j = i + 1; j < n; j++)
            {
                if (Beats(i, j))
                {
                    dominates[i].Add(j);
                    dominatedBy[j]++;
                }
                else if (Beats(j, i))
                {
                    dominates[j].Add(i);
                    dominatedBy[i]++;
                }
            }
        }

        var current = Enumerable.Range(0, n).Where(i => dominatedBy[i] == 0).ToList();
        for (int rank = 0; current.Count > 0; rank++)
        {
            var next = new List<int>();
            foreach (int i in current)
            {
                ranks[i] = rank;
                foreach (int j in dominates[i])
                {
                    if (--dominatedBy[j] == 0)
                    {
                        next.Add(j);
                    }
                }
            }

            current = next;
        }

        return ranks;

        bool Beats(int a, int b) => violations is null
            ? Dominates(points[a], points[b])
            : ConstrainedDominates(points[a], violations[a], points[b], violations[b]);
    }

    /// <summary>The indices of the points no other point dominates, in index order.</summary>
    /// <param name="points">The points (losses).</param>
    public static IReadOnlyList<int> Front(IReadOnlyList<double[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        var front = new List<int>();
        for (int i = 0; i < points.Count; i++)
        {
            bool dominated = false;
            for (int j = 0; j < points.Count && !dominated; j++)
            {
                dominated = j != i && Dominates(points[j], points[i]);
            }

            if (!dominated)
            {
                front.Add(i);
            }
        }

        return front;
    }

    /// <summary>
    /// NSGA-II's crowding distance of each point within its set (one front): the sum over objectives
    /// of the gap between its neighbours, normalised by the objective's range; the extremes of each
    /// objective get infinity, so they are always kept.
    /// </summary>
    /// <param name="points">The points of one front (losses).</param>
    public static double[] CrowdingDistances(IReadOnlyList<double[]> points)
    {
        ArgumentNullException.ThrowIfNull(points);
        int n = points.Count;
        var distances = new double[n];
        if (n == 0)
        {
            return distances;
        }

        int objectives = points[0].Length;
        var order = new int[n];
        for (int m = 0; m < objectives; m++)
        {
            for (int i = 0; i < n; i++)
            {
                order[i] = i;
            }

            Array.Sort(order, (a, b) => points[a][m].CompareTo(points[b][m]) is int c && c != 0 ? c : a.CompareTo(b));
            double low = points[order[0]][m];
            double high = points[order[n - 1]][m];
            distances[order[0]] = distances[order[n - 1]] = double.PositiveInfinity;
            if (high <= low)
            {
                continue;
            }

            for (int k = 1; k < n - 1; k++)
            {
                distances[order[k]] += (points[order[k + 1]][m] - points[order[k - 1]][m]) / (high - low);
            }
        }

        return distances;
    }
}
