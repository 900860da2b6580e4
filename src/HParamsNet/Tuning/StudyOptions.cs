using HParamsNet.Events;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Pruners;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;
using Microsoft.Extensions.Logging;

namespace HParamsNet.Tuning;

/// <summary>What an ask-and-tell <see cref="Study"/> shares with its other workers, and how this one behaves.</summary>
public sealed record StudyOptions
{
    /// <summary>Where the study's trials live (shared by every worker).</summary>
    public required IStudyStorage Storage { get; init; }

    /// <summary>The study's name in the storage.</summary>
    public required string Name { get; init; }

    /// <summary>The hparams searched.</summary>
    public required IReadOnlyList<HParam> Space { get; init; }

    private readonly IReadOnlyList<Objective> _objectives = [];

    /// <summary>The metric optimised and its direction (with several objectives, the first); set this or <see cref="Objectives"/>.</summary>
    public Objective Objective
    {
        get => _objectives.Count > 0 ? _objectives[0] : null!;
        init => _objectives = [value];
    }

    /// <summary>
    /// Every objective, each a metric and a direction, for a study that trades several off: trials
    /// return their values in this order (<c>new TrialValues([f1, f2])</c>) and the study keeps
    /// the Pareto front of them. One objective: set <see cref="Objective"/> instead.
    /// </summary>
    public IReadOnlyList<Objective> Objectives
    {
        get => _objectives;
        init => _objectives = value;
    }

    /// <summary>
    /// Metrics whose final value must be at most 0 for a trial to be feasible (Optuna's
    /// constraints): trials report them in <see cref="HParamsNet.Trials.TrialValues.Others"/> like other metrics; an
    /// infeasible trial is never the best nor on the Pareto front, and strategies steer away from it.
    /// </summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<Metric> Constraints { get; init; } = [];

    /// <summary>Further metrics TensorBoard shows.</summary>
    public IReadOnlyList<Metric> Metrics { get; init; } = [];

    /// <summary>The TensorBoard log directory every worker writes its trials' sessions into.</summary>
    public required string LogDir { get; init; }

    /// <summary>How configurations are proposed; <see cref="AutoSearch"/> by default.</summary>
    public SearchStrategy Strategy { get; init; } = new AutoSearch();

    /// <summary>When trials stop early; none by default.</summary>
    public Pruner Pruner { get; init; } = new NoPruner();

    /// <summary>Seeds the strategy: trial n's draws are a function of the seed and n.</summary>
    public int Seed { get; init; }

    /// <summary>
    /// Ask gives no more trials once the study has this many complete ones (every worker's), as
    /// Optuna's MaxTrialsCallback; while complete and running trials together reach it, ask waits
    /// for the running ones, since one may fail or be lost and need a successor.
    /// </summary>
    /// <value>Default: no limit.</value>
    public int? MaxCompleteTrials { get; init; }

    /// <summary>
    /// Ask gives no more trials once the study has this many in any state (every worker's), except
    /// trials lost with their worker, whose configurations run again in their place.
    /// </summary>
    /// <value>Default: no limit.</value>
    public int? MaxTrials { get; init; }

    /// <summary>How often a running trial says it is alive; a trial silent for twice this long is failed by another worker ("worker lost") and its configuration runs again.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a trial's reports wait before they are sent to the storage together: every worker's
    /// pruner sees a running trial's curve this late at most, and a lost trial keeps what it
    /// reported until then. A tell sends what is left first.
    /// </summary>
    /// <value>Default: 100 ms.</value>
    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Cross-validates each configuration: every trial is one TensorBoard session per fold
    /// (<c>trial-NNNN/fold-KK</c>, grouped under the trial); <see cref="Study.AskAsync"/> gives a trial's
    /// folds one after another, each told on its own, and the trial's value is the mean over folds.
    /// Every worker of a study must use the same folds.
    /// </summary>
    public CrossValidationOptions? CrossValidation { get; init; }

    /// <summary>Log directories of earlier studies (ours or TensorFlow's) whose sessions the strategy sees as prior trials.</summary>
    public IReadOnlyList<string> WarmStartLogDirs { get; init; } = [];

    /// <summary>Whether each session's files are forced to the storage device (fsync) when it ends.</summary>
    public bool SyncToDisk { get; init; }

    /// <summary>Options of the event files.</summary>
    public EventFileWriterOptions? WriterOptions { get; init; }

    /// <summary>Where the study says what it does; nothing when <see langword="null"/>.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The clock of heartbeats; the system clock when <see langword="null"/>.</summary>
    public TimeProvider? TimeProvider { get; init; }

    internal StudyDefinition Definition => new(Name, new HParamsExperiment(Space, [.. Objectives.Select(o => o.Metric).Concat(Constraints).Concat(Metrics).Distinct()]), Objective)
    {
        Objectives = Objectives,
        Constraints = Constraints,
        Strategy = Strategy.GetType().Name,
        Folds = CrossValidation?.Splitter.Folds,
    };

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Storage);
        ArgumentException.ThrowIfNullOrEmpty(LogDir);
        ArgumentNullException.ThrowIfNull(Strategy);
        ArgumentNullException.ThrowIfNull(Pruner);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ReportInterval, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(WarmStartLogDirs);
        ObjectiveRules.Validate(Objectives, Constraints, Pruner, CrossValidation is not null);
        if (CrossValidation is { } cv)
        {
            ArgumentNullException.ThrowIfNull(cv.Splitter, nameof(CrossValidation));
            ArgumentOutOfRangeException.ThrowIfLessThan(cv.Splitter.Folds, 2, nameof(CrossValidation));
        }
        if (MaxTrials is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTrials), MaxTrials, "MaxTrials must be at least 1.");
        }

        if (MaxCompleteTrials is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCompleteTrials), MaxCompleteTrials, "MaxCompleteTrials must be at least 1.");
        }

        Definition.Validate();
    }
}
