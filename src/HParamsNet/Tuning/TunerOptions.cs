using HParamsNet.Events;
using HParamsNet.Trials;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Pruners;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;
using Microsoft.Extensions.Logging;

namespace HParamsNet.Tuning;

/// <summary>What a <see cref="Tuner"/> searches, how, and where it records it.</summary>
public sealed record TunerOptions
{
    /// <summary>The study's log directory: TensorBoard's --logdir, and the record a resumed study continues from.</summary>
    public required string LogDir { get; init; }

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

    /// <summary>Other metrics trials report; declared in the experiment so that TensorBoard shows them.</summary>
    /// <value>Default: none.</value>
    public IReadOnlyList<Metric> Metrics { get; init; } = [];

    /// <summary>How configurations are chosen.</summary>
    /// <value>Default: <see cref="AutoSearch"/>: a Gaussian process up to 1,000 finished trials, TPE beyond (docs/benchmarks.md has the data).</value>
    public SearchStrategy Strategy { get; init; } = new AutoSearch();

    /// <summary>When running trials stop early.</summary>
    /// <value>Default: <see cref="NoPruner"/>.</value>
    public Pruner Pruner { get; init; } = new NoPruner();

    /// <summary>
    /// Trials in the study, in any state and every worker's, counting those a resumed study already
    /// has, except trials cut short (lost or interrupted), whose configurations run again in their
    /// place. Needed unless the strategy is finite (a grid), <see cref="MaxCompleteTrials"/> or
    /// <see cref="Timeout"/> is set.
    /// </summary>
    public int? MaxTrials { get; init; }

    /// <summary>
    /// The study asks for no more trials once it has this many complete ones (every worker's), as
    /// Optuna's MaxTrialsCallback; while complete and running trials together reach it, workers wait
    /// for the running ones, since one may fail or be lost and need a successor.
    /// </summary>
    public int? MaxCompleteTrials { get; init; }

    /// <summary>No trial starts after this much time has passed since <see cref="Tuner.RunAsync(Func{Trial, CancellationToken, ValueTask{TrialValues}}, CancellationToken)"/> began.</summary>
    public TimeSpan? Timeout { get; init; }

    /// <summary>Trials run at the same time.</summary>
    /// <value>Default: 1.</value>
    public int Parallelism { get; init; } = 1;

    /// <summary>Seeds the strategy; trial n's random source depends only on this and n.</summary>
    /// <value>Default: 0.</value>
    public int Seed { get; init; }

    /// <summary>Cross-validates each configuration: one TensorBoard session per fold, grouped under the trial.</summary>
    public CrossValidationOptions? CrossValidation { get; init; }

    /// <summary>Whether a failing trial stops the study (after it is recorded) instead of being recorded and skipped.</summary>
    /// <value>Default: <see langword="false"/>.</value>
    public bool StopOnFailure { get; init; }

    /// <summary>
    /// Whether each trial's files are forced to the storage device (fsync) when it ends. Either way
    /// they are handed to the operating system before the next trial starts, so a killed process
    /// loses no finished trial; syncing also survives a power cut, for a few milliseconds a trial.
    /// </summary>
    /// <value>Default: <see langword="false"/>.</value>
    public bool SyncToDisk { get; init; }

    /// <summary>Log directories of earlier studies (ours or TensorFlow's) whose sessions the strategy sees as prior trials.</summary>
    public IReadOnlyList<string> WarmStartLogDirs { get; init; } = [];

    /// <summary>
    /// Where the study's trials live when other workers (processes, machines) share it: then the
    /// tuner joins <see cref="StudyName"/> in this storage (created by the first worker), its trials
    /// are proposed from every worker's, and <see cref="LogDir"/> is where this worker writes its
    /// sessions (one directory shared by all workers, or one per machine). <see langword="null"/>:
    /// the log directory alone is the study's record (one process; resume from the files).
    /// </summary>
    /// <value>Default: <see langword="null"/>.</value>
    public IStudyStorage? Storage { get; init; }

    /// <summary>The study's name in <see cref="Storage"/>; needed with it. Without a storage, the name the log directory recorded, or the directory's own name.</summary>
    public string? StudyName { get; init; }

    /// <summary>With a shared <see cref="Storage"/>: how often a running trial says it is alive; one silent for twice this long is failed by another worker as lost, and its configuration runs again.</summary>
    /// <value>Default: 10 s.</value>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Trial started and finished with hparams, value and ETA.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The clock of trial times, timeouts and event files; <see cref="EventFileWriterOptions.TimeProvider"/> of <see cref="WriterOptions"/>, else the system clock, when <see langword="null"/>.</summary>
    public TimeProvider? TimeProvider { get; init; }

    /// <summary>Called after each trial (and at the start) with the study's progress.</summary>
    public IProgress<TunerProgress>? Progress { get; init; }

    /// <summary>Options of the event files written.</summary>
    public EventFileWriterOptions? WriterOptions { get; init; }

    /// <summary>The clock everything of the study reads.</summary>
    internal TimeProvider Clock => TimeProvider ?? WriterOptions?.TimeProvider ?? TimeProvider.System;

    /// <summary>The event files' options, with <see cref="Clock"/>.</summary>
    internal EventFileWriterOptions? EventFiles => TimeProvider is null
        ? WriterOptions
        : new EventFileWriterOptions
        {
            FlushInterval = WriterOptions?.FlushInterval ?? EventFileWriterOptions.Default.FlushInterval,
            BufferSize = WriterOptions?.BufferSize ?? EventFileWriterOptions.Default.BufferSize,
            FileNameSuffix = WriterOptions?.FileNameSuffix ?? EventFileWriterOptions.Default.FileNameSuffix,
            WriterName = WriterOptions?.WriterName ?? EventFileWriterOptions.Default.WriterName,
            TimeProvider = TimeProvider,
        };

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(LogDir, nameof(LogDir));
        ArgumentNullException.ThrowIfNull(Space, nameof(Space));
        if (Space.Count == 0)
        {
            throw new ArgumentException("The search space is empty; give at least one HParam.", nameof(Space));
        }

        StudyDefinition.ThrowIfNotTunable(Space, nameof(Space));

        ArgumentNullException.ThrowIfNull(Strategy, nameof(Strategy));
        ArgumentNullException.ThrowIfNull(Pruner, nameof(Pruner));
        ObjectiveRules.Validate(Objectives, Constraints, Pruner, CrossValidation is not null);
        ArgumentOutOfRangeException.ThrowIfLessThan(Parallelism, 1, nameof(Parallelism));
        if (MaxTrials is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxTrials), MaxTrials, "MaxTrials must be at least 1.");
        }

        if (MaxCompleteTrials is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCompleteTrials), MaxCompleteTrials, "MaxCompleteTrials must be at least 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(HeartbeatInterval, TimeSpan.Zero, nameof(HeartbeatInterval));
        if (MaxTrials is null && MaxCompleteTrials is null && Timeout is null && Strategy.Capacity(Space) is null)
        {
            throw new ArgumentException($"{Strategy.GetType().Name} can propose without end: set MaxTrials, MaxCompleteTrials or Timeout.", nameof(MaxTrials));
        }

        if (Storage is not null && string.IsNullOrWhiteSpace(StudyName))
        {
            throw new ArgumentException("A shared Storage needs the StudyName every worker joins.", nameof(StudyName));
        }

        if (TimeProvider is not null && WriterOptions is not null && WriterOptions.TimeProvider != TimeProvider && WriterOptions.TimeProvider != TimeProvider.System)
        {
            throw new ArgumentException("TimeProvider and WriterOptions.TimeProvider are two different clocks; set the clock once, in TimeProvider, and leave WriterOptions.TimeProvider at its default.", nameof(TimeProvider));
        }

        if (Metrics.FirstOrDefault(m => Objectives.Any(o => o.Metric == m)) is { } objective)
        {
            throw new ArgumentException($"{objective} is an objective; list only the other metrics in Metrics.", nameof(Metrics));
        }
    }
}

/// <summary>Where a study stands.</summary>
/// <param name="Finished">Trials finished (any state), counting a resumed study's earlier ones.</param>
/// <param name="Total">Trials the study will run at most, when known.</param>
/// <param name="Running">Trials running now.</param>
/// <param name="Best">The best complete trial so far.</param>
/// <param name="Elapsed">Time since this run of the study began.</param>
/// <param name="Remaining">Estimated time left, from the mean duration of this run's trials.</param>
public sealed record TunerProgress(int Finished, int? Total, int Running, FrozenTrial? Best, TimeSpan Elapsed, TimeSpan? Remaining);
