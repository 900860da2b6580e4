using HParamsNet.Trials;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Pruners;
using HParamsNet.Tuning.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HParamsNet.Tuning;

/// <summary>
/// A study that a loop drives by ask and tell (Optuna's), alone or as one of many workers on a
/// shared <see cref="IStudyStorage"/>; the <see cref="Tuner"/> is such a loop.
/// <see cref="AskAsync"/> gives a session to run: a new trial's configuration (proposed by the
/// strategy from every worker's trials, running ones included), or the next fold of one of this
/// object's trials; <see cref="TellAsync(Trial, double, CancellationToken)"/> and its siblings
/// finish it. Running trials send their reports as they happen and heartbeats while silent; a
/// trial whose worker went silent is failed by the next worker that asks ("worker lost", also in
/// TensorBoard), and its configuration runs again there, its finished folds carried over.
/// </summary>
/// <remarks>
/// Every trial is a TensorBoard session (one per fold with cross-validation) in the study's log
/// directory, grouped as <c>trial-NNNN@id</c>. Disposing the study fails the trials it has not
/// told as interrupted, so that their configurations run again when the study resumes.
/// </remarks>
public sealed partial class Study : IAsyncDisposable
{
    // How often a worker proposes again when others keep taking its proposals first.
    private const int MaxProposalRaces = 20;

    // How often a worker waiting for the study's last running trials looks again (a read; sweeps
    // for lost workers keep their own pace): short, so that workers end soon after the study.
    private static readonly TimeSpan MaxWaitPoll = TimeSpan.FromMilliseconds(200);

    private readonly StudyOptions _options;
    private readonly StudyDefinition _definition;
    private readonly StudyTensorBoard _tensorBoard;
    private readonly IReadOnlyList<CrossValidationFold>? _folds;
    private readonly IReadOnlyList<FrozenTrial> _prior;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, LiveTrial> _live = [];
    private readonly StudyTrialsCopy _trials;
    private readonly StudyUpkeep _upkeep;
    private readonly SemaphoreSlim _asking = new(1, 1);
    private readonly TrialLimits? _limits;

    // This worker's random streams beside other workers: far from the attempts (1, 2, ...) that re-ask a strategy.
    private readonly int _stream = Random.Shared.Next(1_000, int.MaxValue / 2);
    private long _lastSweep = long.MinValue;
    private bool _disposed;

    private Study(StudyOptions options, StudyDefinition definition, StudyTensorBoard tensorBoard, IReadOnlyList<FrozenTrial> prior, ILogger logger, TimeProvider time)
    {
        _options = options;
        _definition = definition;
        _tensorBoard = tensorBoard;
        _prior = prior;
        _logger = logger;
        _time = time;
        _folds = options.CrossValidation is { } cv ? cv.Splitter.Split(cv.Rows, cv.Labels) : null;
        _trials = new StudyTrialsCopy(hparams => HParamsJson.Write(definition.NormalizeHParams(hparams)));
        _limits = options.MaxTrials is null && options.MaxCompleteTrials is null ? null : new TrialLimits(options.MaxTrials, options.MaxCompleteTrials);
        _upkeep = new StudyUpkeep(LiveTrials, options.Storage, options.Name, options.Pruner is NoPruner ? null : _trials, options.ReportInterval, options.HeartbeatInterval, time, logger);
    }

    /// <summary>The study's name.</summary>
    public string Name => _options.Name;

    /// <summary>The log directory every trial's sessions are written to (full path).</summary>
    public string LogDir => _tensorBoard.LogDir;

    /// <summary>Creates the study in its storage and its experiment in the log directory, or joins them.</summary>
    /// <param name="options">The study and this worker's settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">The storage or the log directory holds another definition under this name; the message names the difference.</exception>
    public static async Task<Study> CreateOrLoadAsync(StudyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        string logDir = Path.GetFullPath(options.LogDir);
        var files = options.Storage as LogDirectoryStudyStorage;
        if (files is not null && !string.Equals(files.LogDir, logDir, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The study's LogDir '{logDir}' is not its log-directory storage's '{files.LogDir}'; the sessions are the storage's record, so give both the same directory.", nameof(options));
        }

        ILogger logger = options.Logger ?? NullLogger.Instance;
        TimeProvider time = options.TimeProvider ?? TimeProvider.System;
        StudyDefinition definition = options.Definition;
        IReadOnlyList<FrozenTrial> prior = WarmStartTrials.Read(options.WarmStartLogDirs, options.Space, options.Objective, logger);
        await options.Storage.CreateOrLoadStudyAsync(definition, cancellationToken).ConfigureAwait(false);
        StudyTensorBoard tensorBoard = await StudyTensorBoard.OpenAsync(logDir, definition, files, options.WriterOptions, time, cancellationToken).ConfigureAwait(false);
        var study = new Study(options, definition, tensorBoard, prior, logger, time);
        try
        {
            await study.CheckLogDirectoryAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await study.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return study;
    }

    /// <summary>
    /// The next session to run: the next fold of a trial of this object whose previous fold was
    /// told; else a lost trial's configuration again (lost trials are swept first); else the next
    /// queued configuration (<see cref="EnqueueAsync"/>); else the strategy's proposal.
    /// <see langword="null"/> when the study is done or the strategy has nothing left.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call; the trial passes it to the objective.</param>
    /// <exception cref="ObjectDisposedException">The study was disposed.</exception>
    public async Task<Trial?> AskAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        while (true)
        {
            // The tasks of this object decide one at a time, so that its counts (MaxTrials) are exact.
            (Trial? Trial, bool Done) next;
            await _asking.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                next = await NextAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                _asking.Release();
            }

            if (next.Trial is not null || next.Done)
            {
                return next.Trial;
            }

            // Only running trials stand between the study and its end: one may belong to a lost
            // worker, whose configuration runs again here once its heartbeat is old enough. Wait
            // rather than end this worker too early.
            await Task.Delay(TimeSpan.FromTicks(Math.Min(_options.HeartbeatInterval.Ticks / 2, MaxWaitPoll.Ticks)), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Finishes a session as complete with its objective value (NaN or infinite: failed, as in the tuner).</summary>
    /// <param name="trial">A session this object gave.</param>
    /// <param name="value">The objective's value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when another worker had already failed the trial as lost (its result is then not recorded).</returns>
    public Task<bool> TellAsync(Trial trial, double value, CancellationToken cancellationToken = default) =>
        TellAsync(trial, new TrialValues(value), cancellationToken);

    /// <summary>
    /// Finishes a session as complete with its objective value and other metrics' values (a
    /// non-finite objective: failed). With cross-validation, a fold but the last records the fold's
    /// value and leaves the trial running (<see cref="AskAsync"/> gives its next fold); the last
    /// completes the trial with the mean over its folds.
    /// </summary>
    /// <param name="trial">A session this object gave.</param>
    /// <param name="values">The objective's value, and final values of the study's other metrics.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when another worker had already failed the trial as lost (its result is then not recorded).</returns>
    /// <exception cref="InvalidOperationException">The session was not given by this object, or was told already.</exception>
    /// <remarks>A storage that fails the call throws its own error and keeps the trial as it was: tell again once it is back, or let another worker fail the trial as lost.</remarks>
    public async Task<bool> TellAsync(Trial trial, TrialValues values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(values);
        LiveTrial live = Live(trial);
        IReadOnlyList<Objective> objectives = _options.Objectives;
        Metric metric = objectives[0].Metric;
        if (values.Objectives.Count != objectives.Count)
        {
            throw new ArgumentException($"Study '{Name}' has {objectives.Count} objective(s) ({string.Join(", ", objectives.Select(o => o.Metric.Tag))}); trial {live.Number} gave {values.Objectives.Count} value(s). Give one per objective, in that order.", nameof(values));
        }

        double[] constraints = [.. _options.Constraints.Select(c => values.Others.TryGetValue(c, out double v) ? v : throw new ArgumentException($"Study '{Name}' has constraint '{c.Tag}'; trial {live.Number} did not give its value. Put it in TrialValues.Others.", nameof(values)))];
        var given = objectives.Select((o, i) => (o.Metric, Value: values.Objectives[i])).Concat(_options.Constraints.Select((c, i) => (Metric: c, Value: constraints[i])));
        foreach ((Metric scored, double value) in given)
        {
            if (!double.IsFinite(value))
            {
                return await TellFailedAsync(trial, new NonFiniteObjectiveException(scored, value).Message, cancellationToken).ConfigureAwait(false);
            }
        }

        void End(TrialSession session)
        {
            if (!session.HasEnded)
            {
                for (int i = 0; i < objectives.Count; i++)
                {
                    trial.WriteFinal(objectives[i].Metric, values.Objectives[i]);
                }

                foreach ((Metric other, double value) in values.Others)
                {
                    trial.WriteFinal(other, value);
                }

                session.EndComplete(metric, values.Objective);
            }
        }

        if (live.Folds is int folds && trial.Fold!.Index < folds - 1)
        {
            // A fold but the last: the storage gets its value first (it decides whether the trial
            // is still this worker's), then the session its end. A worker killed in between leaves
            // a fold the storage knows finished: the sweep ends its session SUCCESS, and the fold
            // is carried over, not trained again.
            if (live.NextFold == trial.Fold.Index)
            {
                live.FoldFinished(values.Objective);
            }

            if (!await SendAsync(live, cancellationToken).ConfigureAwait(false))
            {
                return false;
            }

            End(trial.Session);
            trial.Session.Dispose();
            lock (_lock)
            {
                live.Current = null;
                live.NextFoldReady = true;
            }

            return true;
        }

        IReadOnlyList<double> foldValues = live.Folds is null ? [] : [.. live.FoldValues, values.Objective];
        TrialOutcome outcome = objectives.Count == 1 && constraints.Length == 0
            ? TrialOutcome.Complete(foldValues.Count > 0 ? foldValues.Average() : values.Objective, foldValues)
            : TrialOutcome.Complete(values.Objectives, constraints); // no folds here: the options refuse them with several objectives or constraints
        return await FinishAsync(live, outcome, End, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Finishes a session, and its trial, as stopped early by the pruner (folds after it never run).</summary>
    /// <param name="trial">A session this object gave.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when another worker had already failed the trial as lost.</returns>
    public Task<bool> TellPrunedAsync(Trial trial, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trial);
        LiveTrial live = Live(trial);
        return FinishAsync(live, TrialOutcome.Pruned(live.FoldValues), session => session.EndPruned(trial.IntermediateValues), cancellationToken);
    }

    /// <summary>Finishes a session, and its trial, as failed, and why (folds after it never run).</summary>
    /// <param name="trial">A session this object gave.</param>
    /// <param name="error">What went wrong.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when another worker had already failed the trial as lost.</returns>
    public Task<bool> TellFailedAsync(Trial trial, string error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(error);
        LiveTrial live = Live(trial);
        return FinishAsync(live, TrialOutcome.Failed(error, live.FoldValues), session => session.EndFailed(error), cancellationToken);
    }

    /// <summary>
    /// Puts a configuration in the study's queue (Optuna's <c>enqueue_trial</c>): the next trial
    /// any worker asks for gets it, before the strategy proposes. The strategy then sees it as any
    /// other trial.
    /// </summary>
    /// <param name="hparams">Values by hparam name, one for every hparam active in the configuration.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when a trial of the study has the configuration already, or it is queued: it is not queued twice.</returns>
    /// <exception cref="ArgumentException">A value is missing, unknown or outside its domain; the message names it.</exception>
    public async Task<bool> EnqueueAsync(IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        return await _options.Storage.EnqueueTrialAsync(Name, hparams, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The best complete, feasible trial of the study (every worker's): the best objective value, the earlier trial of equal ones; <see langword="null"/> while none is.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">The study has several objectives: it has a front, not a best (<see cref="GetParetoFrontAsync"/>).</exception>
    public async Task<FrozenTrial?> GetBestTrialAsync(CancellationToken cancellationToken = default)
    {
        if (_options.Objectives.Count > 1)
        {
            throw new InvalidOperationException($"Study '{Name}' has {_options.Objectives.Count} objectives, so no one trial is best; ask for its Pareto front (GetParetoFrontAsync).");
        }

        await _trials.RefreshAsync(_options.Storage, Name, cancellationToken).ConfigureAwait(false);
        return BestTrial.Of(_trials.Finished(), _options.Objective);
    }

    /// <summary>
    /// The study's Pareto front (every worker's trials): the complete, feasible trials no other
    /// such trial dominates, by number. With one objective, the trials sharing the best value.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<FrozenTrial>> GetParetoFrontAsync(CancellationToken cancellationToken = default)
    {
        await _trials.RefreshAsync(_options.Storage, Name, cancellationToken).ConfigureAwait(false);
        return ParetoFront.Of(_trials.Finished(), _options.Objectives);
    }

    /// <summary>Every trial of the study (every worker's), by number.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<FrozenTrial>> GetTrialsAsync(CancellationToken cancellationToken = default) =>
        await _options.Storage.GetTrialsAsync(Name, cancellationToken).ConfigureAwait(false);

    /// <summary>The finished trials (by number) and the running count, as this worker last read them: no storage call.</summary>
    internal (IReadOnlyList<FrozenTrial> Finished, int Running) Snapshot() => (_trials.Finished(), _trials.Counts().Running);

    /// <summary>
    /// Ends the background work, then fails the trials not told as interrupted, in the storage and
    /// in TensorBoard, so that their configurations run again (their finished folds carried over)
    /// when the study resumes; one the storage cannot record is failed as lost by another worker
    /// once its heartbeat is old enough.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _upkeep.DisposeAsync().ConfigureAwait(false);
        foreach (LiveTrial live in LiveTrials())
        {
            try
            {
                string error = $"{TrialErrors.Interrupted}: the study stopped before the trial ended; its configuration runs again when the study resumes";
                await FinishAsync(live, TrialOutcome.Failed(error, live.FoldValues), session => session.EndFailed(error), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                StudyLog.InterruptFailed(_logger, live.Number, Name, $"{e.GetType().Name}: {e.Message}");
                live.Current?.Session.Abandon();
            }
        }
    }
}
