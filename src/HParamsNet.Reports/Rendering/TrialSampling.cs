namespace HParamsNet.Reports.Rendering;

/// <summary>
/// Which trials a plot draws when there are more than it can show readably: parallel-coordinate
/// lines and intermediate-value curves (a study of 10,000 trials with 100 steps each is a million
/// points, which neither fits a file one mails nor reads as a plot). One rule for both, applied
/// when the report is built: the best tenth of the budget first, then a fixed-seed random draw of
/// the rest. Each drawn curve is thinned to at most <see cref="MaxPoints"/> points (evenly, the
/// last one kept).
/// </summary>
internal static class TrialSampling
{
    public const int MaxPoints = 500;

    /// <summary>The numbers of the trials drawn from <paramref name="candidates"/>, at most <paramref name="limit"/>.</summary>
    public static HashSet<int> Choose(IEnumerable<ReportTrial> candidates, int limit, StudyDirection direction)
    {
        ReportTrial[] all = [.. candidates];
        if (all.Length <= limit)
        {
            return [.. all.Select(t => t.Number)];
        }

        double Key(ReportTrial t) => t.Value ?? (direction == StudyDirection.Minimize ? double.PositiveInfinity : double.NegativeInfinity);
        ReportTrial[] ranked = direction == StudyDirection.Minimize ? [.. all.OrderBy(Key)] : [.. all.OrderByDescending(Key)];
        int best = limit / 10;
        var rest = ranked.Skip(best).ToArray();
        new Random(rest.Length).Shuffle(rest);
        return [.. ranked.Take(best).Concat(rest.Take(limit - best)).Select(t => t.Number)];
    }

    public static IReadOnlyList<double[]> Thin(IReadOnlyList<double[]> curve)
    {
        if (curve.Count <= MaxPoints)
        {
            return curve;
        }

        double stride = (curve.Count - 1) / (double)(MaxPoints - 1);
        return [.. Enumerable.Range(0, MaxPoints).Select(i => curve[(int)Math.Round(i * stride)])];
    }
}
