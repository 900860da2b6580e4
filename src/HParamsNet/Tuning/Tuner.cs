using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HParamsNet.Tuning;

/// <summary>
/// Runs a study (Optuna's <c>optimize</c>, scikit-learn's search classes): a loop of ask, run,
/// tell over a <see cref="Study"/>, <see cref="TunerOptions.Parallelism"/> sessions at a time,
/// until the strategy, <see cref="TunerOptions.MaxTrials"/> or <see cref="TunerOptions.Timeout"/>
/// says stop. The study lives in <see cref="TunerOptions.Storage"/>, shared with any other worker;
/// without one, in its log directory, which a resumed study continues from.
/// </summary>
/// <remarks>
/// Each trial is a TensorBoard session (one per fold) named <c>trial-NNNN</c>, grouped under the
/// trial's name; its status is written once, when it ends. A failing trial is recorded as
/// FAILURE with its error (shown in TensorBoard's Text dashboard) and the study goes on, unless
/// <see cref="TunerOptions.StopOnFailure"/>. A trial cut short (the study cancelled, the process
/// killed, a full disk) is failed as interrupted or lost, and its configuration runs again when
/// the study resumes, its finished folds carried over (docs/architecture.md: one trial lifecycle).
/// </remarks>
public sealed class Tuner
{
    private readonly TunerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates a tuner.</summary>
    /// <param name="options">What to search, how, and where to record it.</param>
    /// <exception cref="ArgumentException">Options that cannot work; the message says which.</exception>
    public Tuner(TunerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _time = options.Clock;
    }

    /// <summary>Runs the study with a synchronous objective that returns the objective value.</summary>
    /// <param name="objective">Trains and scores one configuration (one fold, with cross-validation).</param>
    /// <param name="cancellationToken">Stops the study; a trial cut short runs again on resume.</param>
    public Task<StudyResult> RunAsync(Func<Trial, double> objective, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return RunAsync((trial, _) => ValueTask.FromResult<TrialValues>(objective(trial)), cancellationToken);
    }

    /// <summary>Runs the study with a synchronous objective that returns several metrics' values.</summary>
    /// <param name="objective">Trains and scores one configuration (one fold, with cross-validation); returns the objective value.</param>
    /// <param name="cancellationToken">Stops the study; a trial cut short runs again on resume.</param>
    public Task<StudyResult> RunAsync(Func<Trial, TrialValues> objective, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return RunAsync((trial, _) => ValueTask.FromResult(objective(trial)), cancellationToken);
    }

    /// <summary>Runs the study: trials until the strategy, <see cref="TunerOptions.MaxTrials"/> or <see cref="TunerOptions.Timeout"/> says stop.</summary>
    /// <param name="objective">Trains and scores one configuration (one fold, with cross-validation).</param>
    /// <param name="cancellationToken">Stops the study; a trial cut short runs again on resume.</param>
    /// <returns>Every trial, the results table and the best configuration.</returns>
    /// <exception cref="InvalidOperationException">The log directory or the storage holds another study.</exception>
    /// <exception cref="StudyRecordException">The log directory cannot be written (e.g. the disk is full); the study resumes once it can.</exception>
    public async Task<StudyResult> RunAsync(Func<Trial, CancellationToken, ValueTask<TrialValues>> objective, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        IStudyStorage storage = _options.Storage ?? new LogDirectoryStudyStorage(_options.LogDir, _options.EventFiles);
        try
        {
            string name = StudyName();
            var run = new TunerRun(_options, _logger, _time, objective);
            await using (Study study = await Study.CreateOrLoadAsync(StudyOptions(storage, name), cancellationToken).ConfigureAwait(false))
            {
                if (storage is LogDirectoryStudyStorage { Loaded: ( > 0, _) or (_, > 0) } files)
                {
                    TunerLog.Resumed(_logger, files.LogDir, files.Loaded.Finished, files.Loaded.Interrupted);
                }

                await run.RunAsync(study, cancellationToken).ConfigureAwait(false);
            }

            // The study object is gone (trials cut short are recorded as interrupted); the storage holds every trial.
            cancellationToken.ThrowIfCancellationRequested();
            run.ThrowIfFailed();
            return new StudyResult(_options.Objectives, await storage.GetTrialsAsync(name, CancellationToken.None).ConfigureAwait(false), Path.GetFullPath(_options.LogDir));
        }
        finally
        {
            if (_options.Storage is null)
            {
                await storage.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // Without a storage the log directory holds one study: the name it recorded, or the directory's.
    private string StudyName() =>
        _options.StudyName
        ?? (_options.Storage is null ? StudyTensorBoard.ReadRecord(Path.GetFullPath(_options.LogDir))?.Name : null)
        ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(Path.GetFullPath(_options.LogDir)));

    private StudyOptions StudyOptions(IStudyStorage storage, string name) => new()
    {
        Storage = storage,
        Name = name,
        Space = _options.Space,
        Objectives = _options.Objectives,
        Constraints = _options.Constraints,
        Metrics = _options.Metrics,
        LogDir = _options.LogDir,
        Strategy = _options.Strategy,
        Pruner = _options.Pruner,
        Seed = _options.Seed,
        MaxTrials = _options.MaxTrials,
        MaxCompleteTrials = _options.MaxCompleteTrials,
        CrossValidation = _options.CrossValidation,
        WarmStartLogDirs = _options.WarmStartLogDirs,
        SyncToDisk = _options.SyncToDisk,
        HeartbeatInterval = _options.HeartbeatInterval,
        WriterOptions = _options.EventFiles,
        Logger = _logger,
        TimeProvider = _time,
    };
}
