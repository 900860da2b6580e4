using System.Globalization;

namespace HParamsNet.Reports.Rendering;

/// <summary>What the page's script draws, as it reads it (serialised to JSON, camelCase).</summary>
internal sealed record ReportData(
    string Title,
    string Generated,
    string Metric,
    string Direction,
    string? Strategy,
    [property: System.Text.Json.Serialization.JsonPropertyName("hparams")] IReadOnlyList<AxisData> HParams,
    IReadOnlyList<SourceData> Sources,
    IReadOnlyList<ObjectiveData> Objectives,
    IReadOnlyList<string> Constraints)
{
    private static string Label(Metric metric) => metric.Group.Length == 0 ? metric.Tag : $"{metric.Group}/{metric.Tag}";

    public static ReportData From(StudyReport report) => new(
        report.Options.Title,
        report.Options.TimeProvider.GetUtcNow().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
        Label(report.Objective),
        report.Direction == StudyDirection.Minimize ? "minimize" : "maximize",
        report.Options.Strategy,
        [.. report.Axes.Select(a => new AxisData(a.Name, a.Numeric ? "number" : "category", a.Log, a.Why, a.Categories))],
        [.. report.Sources.Select(s => SourceData.From(s, report.Direction, report.Axes.Where(a => !a.Numeric).Select(a => a.Name).ToHashSet(StringComparer.Ordinal), report.Options))],
        report.Options.Objectives.Count > 1 ? [.. report.Options.Objectives.Select(o => new ObjectiveData(Label(o.Metric), o.Direction == StudyDirection.Minimize ? "minimize" : "maximize"))] : [],
        report.Options.Objectives.Count > 1 ? [.. report.Options.Constraints.Select(Label)] : []);
}

internal sealed record ObjectiveData(string Metric, string Direction);

internal sealed record AxisData(string Name, string Kind, bool Log, string Why, IReadOnlyList<string> Categories);

internal sealed record SourceData(
    string Label,
    IReadOnlyDictionary<string, int> States,
    double WallSeconds,
    int? Best,
    IReadOnlyList<ImportanceData> Importances,
    int ParallelTotal,
    IReadOnlyList<int> ParallelTrials,
    int CurvesTotal,
    bool CurvesThinned,
    IReadOnlyList<TrialData> Trials,
    FrontData? Front)
{
    public static SourceData From(ReportSource source, StudyDirection direction, IReadOnlySet<string> categories, ReportOptions options)
    {
        ReportTrial[] scored = [.. source.Trials.Where(t => t.IsScored)];
        HashSet<int> lines = TrialSampling.Choose(scored, options.MaxParallelLines, direction);
        HashSet<int> curves = TrialSampling.Choose(source.Trials.Where(t => t.Curve.Count > 0), options.MaxCurves, direction);
        return new SourceData(
            source.Label,
            source.States,
            source.WallSeconds,
            source.Best(direction)?.Number,
            [.. source.Importances.Select(i => new ImportanceData(i.Name, i.Importance))],
            scored.Length,
            [.. lines.Order()],
            source.Trials.Count(t => t.Curve.Count > 0),
            source.Trials.Any(t => curves.Contains(t.Number) && t.Curve.Count > TrialSampling.MaxPoints),
            [.. source.Trials.Select(t => TrialData.From(t, categories, curves.Contains(t.Number)))],
            FrontData.From(source.Trials, options.Objectives));
    }
}

internal sealed record ImportanceData(string Name, double Importance);

/// <summary>A trial; hparam values as the page shows them: numbers on numeric axes, labels on category axes (formatted here, once, so the page matches them to the axis as written).</summary>
internal sealed record TrialData(int N, string Name, string State, double? Value, double? Std, IReadOnlyList<double?>? Folds, IReadOnlyDictionary<string, object> P, double Start, double? End, IReadOnlyList<double[]>? Curve, IReadOnlyList<double?>? V, bool? Feasible)
{
    public static TrialData From(ReportTrial trial, IReadOnlySet<string> categories, bool withCurve) => new(
        trial.Number,
        trial.Name,
        trial.State,
        trial.Value,
        trial.Std,
        trial.Folds,
        trial.HParams.ToDictionary(p => p.Key, p => p.Value is long or double && !categories.Contains(p.Key) ? p.Value : HParamAxis.Label(p.Value), StringComparer.Ordinal),
        trial.Start,
        trial.End,
        withCurve && trial.Curve.Count > 0 ? TrialSampling.Thin(trial.Curve) : null,
        trial.Values.Count > 0 ? trial.Values : null,
        trial.Values.Count > 0 ? trial.IsFeasible : null);
}
