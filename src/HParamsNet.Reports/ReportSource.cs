using HParamsNet.Reports.Importance;

namespace HParamsNet.Reports;

/// <summary>One source of the report (a log directory or a stored study) and what its summary shows.</summary>
internal sealed record ReportSource(
    string Label,
    IReadOnlyList<ReportTrial> Trials,
    IReadOnlyList<HParamImportance> Importances)
{
    public ReportTrial? Best(StudyDirection direction)
    {
        IEnumerable<ReportTrial> scored = Trials.Where(t => t.Value is double v && double.IsFinite(v));
        return direction == StudyDirection.Minimize ? scored.MinBy(t => t.Value) : scored.MaxBy(t => t.Value);
    }

    public IReadOnlyDictionary<string, int> States =>
        Trials.GroupBy(t => t.State).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>From the first start to the last end (or start), in seconds.</summary>
    public double WallSeconds => Trials.Count == 0 ? 0 : Trials.Max(t => t.End ?? t.Start) - Trials.Min(t => t.Start);
}
