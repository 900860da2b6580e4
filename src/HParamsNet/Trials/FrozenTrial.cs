namespace HParamsNet.Trials;

/// <summary>
/// A trial (one configuration) as recorded: immutable, read back from the storage or the log
/// directory. With cross-validation it spans one TensorBoard session per fold.
/// </summary>
/// <param name="Number">The trial's number, from 1.</param>
/// <param name="Name">Its run name relative to the log directory, e.g. <c>trial-0007</c>; with cross-validation the folds' sessions are <c>trial-0007/fold-01</c> and so on.</param>
/// <param name="HParams">The configuration, by hparam name (normalised values).</param>
/// <param name="State">Where it stands.</param>
/// <param name="Value">The (first) objective's final value, the mean over folds with cross-validation (NaN unless complete); <see cref="Values"/> has every objective's.</param>
/// <param name="IntermediateValues">Objective values reported while running, by step (the latest fold's, with cross-validation).</param>
/// <param name="FoldValues">The objective's value per finished fold, in fold order; empty without cross-validation.</param>
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
    private static readonly IReadOnlyDictionary<string, string> NoAttributes = new Dictionary<string, string>(StringComparer.Ordinal);

    private readonly IReadOnlyList<double>? _values;

    /// <summary>
    /// Each objective's final value, in the order of the study's objectives (the mean over folds
    /// with cross-validation); empty unless complete. With one objective: <see cref="Value"/> alone.
    /// </summary>
    public IReadOnlyList<double> Values
    {
        get => _values ?? (double.IsNaN(Value) ? [] : [Value]);
        init => _values = value;
    }

    /// <summary>The final values of the study's constraints, in their order; a trial is feasible when each is at most 0. Empty when the study has none.</summary>
    public IReadOnlyList<double> Constraints { get; init; } = [];

    /// <summary>Whether every constraint holds (at most 0); always with none.</summary>
    public bool IsFeasible => Constraints.All(c => c <= 0);

    /// <summary>How long it ran.</summary>
    public TimeSpan? Duration => Ended - Started;

    /// <summary>Whether it finished, one way or another.</summary>
    public bool IsFinished => State != TrialState.Running;

    /// <summary>
    /// Objective values reported while running, per session: index k holds fold k's values (one
    /// list for a trial without cross-validation). What a pruner compares fold by fold.
    /// </summary>
    public IReadOnlyList<IReadOnlyList<KeyValuePair<long, double>>> IntermediateValuesByFold { get; init; } = [];

    /// <summary>What the objective recorded about the trial while it ran (Optuna's user attributes), by key.</summary>
    public IReadOnlyDictionary<string, string> UserAttributes { get; init; } = NoAttributes;

    /// <summary>
    /// Whether the trial was cut short by something other than its configuration (its worker was
    /// lost, or the study was interrupted), so that the study runs its configuration again.
    /// </summary>
    public bool RunsAgain => State == TrialState.Failed && TrialErrors.RunsAgain(Error);

    /// <summary>The values fold <paramref name="fold"/> reported (for fold 0, those of a trial without cross-validation); empty when it reported none.</summary>
    /// <param name="fold">The fold's index.</param>
    public IReadOnlyList<KeyValuePair<long, double>> IntermediateValuesOf(int fold) =>
        fold >= 0 && fold < IntermediateValuesByFold.Count ? IntermediateValuesByFold[fold]
        : fold == 0 && IntermediateValuesByFold.Count == 0 ? IntermediateValues
        : [];
}
