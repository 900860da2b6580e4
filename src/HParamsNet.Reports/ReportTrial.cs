namespace HParamsNet.Reports;

/// <summary>One trial as the page shows it: a session group of a source (the folds of a cross-validated trial together).</summary>
/// <param name="Number">Its place in the source, by start time, from 1.</param>
/// <param name="Name">The session group's name.</param>
/// <param name="State">complete, pruned, failed, running or unknown.</param>
/// <param name="Value">The objective's last value (mean over folds); null when not reported.</param>
/// <param name="Std">Population standard deviation over folds; null for one session.</param>
/// <param name="Folds">Each fold's last value, for a cross-validated trial.</param>
/// <param name="HParams">Values by hparam name.</param>
/// <param name="Start">Start, Unix seconds.</param>
/// <param name="End">End, Unix seconds; null while running.</param>
/// <param name="Curve">The objective's intermediate values, (step, value), of the first session.</param>
internal sealed record ReportTrial(
    int Number,
    string Name,
    string State,
    double? Value,
    double? Std,
    IReadOnlyList<double?>? Folds,
    IReadOnlyDictionary<string, object> HParams,
    double Start,
    double? End,
    IReadOnlyList<double[]> Curve)
{
    /// <summary>Complete with a finite value: what the history, slices, parallel coordinates and importances draw.</summary>
    public bool IsScored => State == TrialStates.Complete && Value is double v && double.IsFinite(v);
}
