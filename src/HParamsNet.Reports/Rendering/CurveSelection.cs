namespace HParamsNet.Reports.Rendering;

/// <summary>
/// Which trials' intermediate curves go into the page: a study of 10,000 trials with 100 steps
/// each is a million points, which neither fits a file one mails nor reads as a plot. The best
/// tenth of the budget first, then a fixed-seed random draw of the rest; each curve thinned to
/// at most <see cref="MaxPoints"/> points (evenly, the last one kept).
/// </summary>
internal static class CurveSelection
{
    public const int MaxPoints = 500;

    public static HashSet<int> Choose(IReadOnlyList<ReportTrial> trials, int limit, StudyDirection direction)
    {
        ReportTrial[] withCurves = [.. trials.Where(t => t.Curve.Count > 0)];
        if (withCurves.Length <= limit)
        {
            return [.. withCurves.Select(t => t.Number)];
        }

        double Key(ReportTrial t) => t.Value ?? (direction == StudyDirection.Minimize ? double.PositiveInfinity : double.NegativeInfinity);
        ReportTrial[] ranked = direction == StudyDirection.Minimize ? [.. withCurves.OrderBy(Key)] : [.. withCurves.OrderByDescending(Key)];
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
