namespace HParamsNet.Trials;

/// <summary>
/// A trial (one configuration) as recorded: immutable, read back from the log directory on resume.
/// With cross-validation it spans one TensorBoard session per fold.
/// </summary>
/// <param name="Number">The trial's number, from 1.</param>
/// <param name="Name">Its run name relative to the log directory, e.g. <c>trial-0007</c>; with cross-validation the folds' sessions are <c>trial-0007/fold-1</c> and so on.</param>
/// <param name="HParams">The configuration, by hparam name (normalised values).</param>
/// <param name="State">Where it stands.</param>
/// <param name="Value">The objective's final value, the mean over folds with cross-validation (NaN unless complete).</param>
/// <param name="IntermediateValues">Objective values reported while running, by step (the last fold's, with cross-validation).</param>
/// <param name="FoldValues">The objective's value per fold; empty without cross-validation.</param>
/// <param name="Started">When it started.</param>
/// <param name="Ended">When it ended, or <see langword="null"/> while running.</param>
/// <param name="Error">The failure's message, for a failed trial.</param>
public sealed record FrozenTrial(
    int Number,
    string Name,
    IReadOnlyDictionary<string, object> HParams,
    TrialState State,
    double Value,
    IReadOnlyList<KeyValuePair<long, double>> IntermediateValues,
    IReadOnlyList<double> FoldValues,
    DateTimeOffset Started,
    DateTimeOffset? Ended,
    string? Error)
{
    /// <summary>How long it ran.</summary>
    public TimeSpan? Duration => Ended - Started;

    /// <summary>Whether it finished, one way or another.</summary>
    public bool IsFinished => State != TrialState.Running;
}
