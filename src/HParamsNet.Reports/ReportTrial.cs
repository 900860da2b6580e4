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
/// <param name="Values">Each of the report's objectives' last value (several objectives); empty otherwise.</param>
/// <param name="Constraints">Each constraint's last value; empty without constraints.</param>
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
    IReadOnlyList<double[]> Curve,
    IReadOnlyList<double?>? Values = null,
    IReadOnlyList<double?>? Constraints = null)
{
    /// <summary>Each of the report's objectives' last value (several objectives); empty otherwise.</summary>
    public IReadOnlyList<double?> Values { get; init; } = Values ?? [];

    /// <summary>Each constraint's last value; empty without constraints.</summary>
    public IReadOnlyList<double?> Constraints { get; init; } = Constraints ?? [];

    /// <summary>Complete with a finite value for every objective and every constraint, all of which hold: what the Pareto front is made of.</summary>
    public bool IsOnFrontCandidate => State == TrialStates.Complete && Values.Count > 0 && Values.All(v => v is double d && double.IsFinite(d)) && IsFeasible;

    /// <summary>Whether every constraint has a value and holds.</summary>
    public bool IsFeasible => Constraints.All(c => c is double d && d <= 0);

    /// <summary>Complete with a finite value: what the history, slices, parallel coordinates and importances draw.</summary>
    public bool IsScored => State == TrialStates.Complete && Value is double v && double.IsFinite(v);
}
