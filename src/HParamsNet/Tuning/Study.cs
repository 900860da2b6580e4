using System.Globalization;
using HParamsNet.Trials;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Pruners;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;
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
public sealed class Study : IAsyncDisposable
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
        return new Study(options, definition, tensorBoard, prior, logger, time);
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
        Metric metric = _options.Objective.Metric;
        if (!double.IsFinite(values.Objective))
        {
            return await TellFailedAsync(trial, new NonFiniteObjectiveException(metric, values.Objective).Message, cancellationToken).ConfigureAwait(false);
        }

        void End(TrialSession session)
        {
            if (!session.HasEnded)
            {
                trial.WriteFinal(metric, values.Objective);
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
        TrialOutcome outcome = TrialOutcome.Complete(foldValues.Count > 0 ? foldValues.Average() : values.Objective, foldValues);
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

    /// <summary>The best complete trial of the study (every worker's): the best objective value, the earlier trial of equal ones; <see langword="null"/> while none is complete.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<FrozenTrial?> GetBestTrialAsync(CancellationToken cancellationToken = default)
    {
        await _trials.RefreshAsync(_options.Storage, Name, cancellationToken).ConfigureAwait(false);
        return BestTrial.Of(_trials.Finished(), _options.Objective);
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
                StudyLog.InterruptFailed(_logger, live.Number, Name, e);
                live.Current?.Session.Abandon();
            }
        }
    }

    // One decision: a session to run, or done (null), or neither yet (wait for running trials).
    private async Task<(Trial? Trial, bool Done)> NextAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (NextFoldReady() is LiveTrial ready)
            {
                return (StartSession(ready, cancellationToken), false);
            }

            await SweepLostAsync(cancellationToken).ConfigureAwait(false);
            await _trials.RefreshAsync(_options.Storage, Name, cancellationToken).ConfigureAwait(false);

            // A lost worker's trial runs again first (whoever swept it), unless the study is done.
            FrozenTrial? again = _trials.LostNotRunAgain();
            LiveTrial? created;
            if (again is not null && LimitsReached() is null)
            {
                created = await RunAgainAsync(again, cancellationToken).ConfigureAwait(false);
            }
            else if (RunningToWaitFor() is not { } running)
            {
                created = await CreateQueuedAsync(cancellationToken).ConfigureAwait(false);
                if (created is null)
                {
                    (created, bool exhausted) = await CreateProposedAsync(cancellationToken).ConfigureAwait(false);
                    if (exhausted)
                    {
                        return (null, true); // the strategy has nothing left: no trial is created for nothing
                    }
                }
            }
            else if (running == 0)
            {
                await RepairSessionsAsync(cancellationToken).ConfigureAwait(false);
                return (null, true); // the study is done
            }
            else
            {
                return (null, false);
            }

            if (created is not null)
            {
                return (StartSession(created, cancellationToken), false);
            }

            // Another worker took the configuration first, or the trial was done with its carried folds: decide again.
        }
    }

    private IReadOnlyList<LiveTrial> LiveTrials()
    {
        lock (_lock)
        {
            return [.. _live.Values];
        }
    }

    private LiveTrial Live(Trial trial)
    {
        lock (_lock)
        {
            return _live.TryGetValue(trial.Number, out LiveTrial? live) && live.Current?.Trial == trial
                ? live
                : throw new InvalidOperationException($"Trial {trial.Number}{(trial.Fold is null ? string.Empty : $" (fold {trial.Fold.Index})")} was not asked for through this study object, or was told already.");
        }
    }

    private LiveTrial? NextFoldReady()
    {
        lock (_lock)
        {
            LiveTrial? ready = _live.Values.Where(l => l.NextFoldReady).MinBy(l => l.Number);
            if (ready is not null)
            {
                ready.NextFoldReady = false;
            }

            return ready;
        }
    }

    // A session of a trial this object runs: its fold (or the trial) gets its TensorBoard session.
    private Trial StartSession(LiveTrial live, CancellationToken cancellationToken)
    {
        int? fold = live.Folds is null ? null : live.NextFold;
        TrialSession session;
        try
        {
            session = _tensorBoard.BeginSession(live.Number, fold, live.HParams, _options.SyncToDisk);
        }
        catch
        {
            lock (_lock)
            {
                live.NextFoldReady = true; // asked again, this worker tries the session again
            }

            throw;
        }

        bool crossValidated = _folds is not null;
        var trial = new Trial(live, fold is int f ? _folds![f] : null, session, _options.Objective, _options.Pruner, (except, k) => _trials.ForPruner(except, k, crossValidated), cancellationToken);
        lock (_lock)
        {
            live.Current = (trial, session);
        }

        return trial;
    }

    // The strategy's proposal, created with its configuration in one write. The proposal draws
    // from the random source of the number the trial will most likely get (the next after every
    // trial this worker knows; always so with one worker, so a study stays reproducible); when
    // another worker took that number or the configuration first, propose again, seeing it.
    // Null and not exhausted: the study reached its limits meanwhile (another worker's trials), so decide again.
    private async Task<(LiveTrial? Created, bool Exhausted)> CreateProposedAsync(CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            IReadOnlyList<FrozenTrial> finished = _trials.Finished();
            int expected = _trials.NextNumber;

            // Alone, trial n draws from (seed, n): a study reproduces. Beside other workers, which
            // guess the same next number from the same copy of the study, each draws from a stream
            // of its own, so that they do not propose the same configuration (and race for it).
            int stream = _trials.OthersRunning() ? _stream + attempt : 0;
            IReadOnlyDictionary<HParam, object>? hparams = Propose(expected, stream, finished, _trials.RunningConfigurations(except: 0));
            if (hparams is null)
            {
                return (null, true);
            }

            if (await CreateAsync(hparams, cancellationToken).ConfigureAwait(false) is LiveTrial created)
            {
                return (created, false);
            }

            if (attempt >= MaxProposalRaces)
            {
                throw new InvalidOperationException($"Study '{Name}': {MaxProposalRaces + 1} proposals in a row were each taken by another worker first; the strategy keeps proposing what others run. Use fewer workers or a strategy with more randomness.");
            }

            await _trials.RefreshAsync(_options.Storage, Name, cancellationToken).ConfigureAwait(false);
            if (RunningToWaitFor() is not null)
            {
                return (null, false);
            }
        }
    }

    // The oldest queued configuration, as a trial of this worker; null when the queue is empty.
    private async Task<LiveTrial?> CreateQueuedAsync(CancellationToken cancellationToken)
    {
        FrozenTrial? queued = await _options.Storage.CreateTrialFromQueueAsync(Name, _limits, cancellationToken).ConfigureAwait(false);
        return queued is null ? null : Register(queued.Number, _definition.Experiment.Resolve(queued.HParams));
    }

    // A lost trial's configuration, as a new trial of this worker, with the folds the lost one
    // finished carried over; null when another worker took it first, or when every fold was done
    // (the trial is then complete already).
    private async Task<LiveTrial?> RunAgainAsync(FrozenTrial lost, CancellationToken cancellationToken)
    {
        LiveTrial? live = await CreateAsync(_definition.Experiment.Resolve(lost.HParams), cancellationToken).ConfigureAwait(false);
        if (live is null || _definition.Folds is null || lost.FoldValues.Count == 0)
        {
            return live;
        }

        int carried = Math.Min(lost.FoldValues.Count, _definition.Folds.Value);
        try
        {
            for (int fold = 0; fold < carried; fold++)
            {
                _tensorBoard.CarryFold(lost, fold, live.Number, live.HParams);
                foreach ((long step, double value) in lost.IntermediateValuesOf(fold))
                {
                    live.Report(new IntermediateValue(fold, step, value));
                }

                live.FoldFinished(lost.FoldValues[fold]);
            }
        }
        catch
        {
            Forget(live, abandon: false); // no more heartbeats: the trial is lost in turn, and its configuration runs again
            throw;
        }

        StudyLog.FoldsCarried(_logger, live.Number, Name, lost.Number, carried);
        if (!live.AllFoldsDone)
        {
            await SendAsync(live, cancellationToken).ConfigureAwait(false);
            return live;
        }

        IReadOnlyList<double> folds = live.FoldValues;
        await FinishAsync(live, TrialOutcome.Complete(folds.Average(), folds), _ => { }, cancellationToken).ConfigureAwait(false);
        return null;
    }

    private async Task<LiveTrial?> CreateAsync(IReadOnlyDictionary<HParam, object> hparams, CancellationToken cancellationToken)
    {
        int? number = await _options.Storage.CreateTrialAsync(Name, hparams.ToDictionary(p => p.Key.Name, p => p.Value), _limits, cancellationToken).ConfigureAwait(false);
        return number is int created ? Register(created, hparams) : null;
    }

    // A trial this worker created: known to its copy at once, and looked after (reports, heartbeats) until told.
    private LiveTrial Register(int number, IReadOnlyDictionary<HParam, object> hparams)
    {
        var live = new LiveTrial(number, hparams, _definition.Folds, _time.GetUtcNow(), _time.GetTimestamp());
        _trials.AddCreated(new FrozenTrial(number, TrialNames.Trial(number), live.Configuration, TrialState.Running, double.NaN, [], [], live.Started, null, null));
        lock (_lock)
        {
            _live[number] = live;
        }

        return live;
    }

    // Sends what the trial reported; false when the storage says it was failed as lost meanwhile (this worker then lets it go).
    private async Task<bool> SendAsync(LiveTrial live, CancellationToken cancellationToken)
    {
        try
        {
            await live.SendAsync(_options.Storage, Name, _time.GetTimestamp(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (InvalidOperationException)
        {
            if (!await IsFinishedAsync(live.Number, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }

        Forget(live, abandon: true);
        StudyLog.ToldTooLate(_logger, live.Number, Name);
        return false;
    }

    private async Task<bool> IsFinishedAsync(int number, CancellationToken cancellationToken)
    {
        await _trials.RefreshAsync(_options.Storage, Name, cancellationToken).ConfigureAwait(false);
        return _trials.Finished().Any(t => t.Number == number);
    }

    // Ends a trial: its reports, then the storage's record (which decides against a worker that
    // failed it as lost), then its session's end. A storage error leaves the trial as it was.
    private async Task<bool> FinishAsync(LiveTrial live, TrialOutcome outcome, Action<TrialSession> end, CancellationToken cancellationToken)
    {
        if (!await SendAsync(live, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (!await _options.Storage.FinishTrialAsync(Name, live.Number, outcome, cancellationToken).ConfigureAwait(false))
        {
            Forget(live, abandon: true);
            StudyLog.ToldTooLate(_logger, live.Number, Name);
            return false;
        }

        Forget(live, abandon: false);
        _trials.AddTold(TrialSnapshots.Create(
            live.Number,
            live.Configuration,
            outcome.State,
            outcome.Value,
            TrialSnapshots.ByFold(live.Reported.OrderBy(v => v.Fold)),
            outcome.FoldValues.Count > 0 ? outcome.FoldValues : live.FoldValues,
            live.Started,
            _time.GetUtcNow(),
            outcome.Error,
            live.Attributes));
        if (live.Current?.Session is { } session)
        {
            try
            {
                end(session);
            }
            catch (StudyRecordException)
            {
                _trials.Disown(live.Number); // its end is now the repair's to write, once there is room
                session.Abandon();
                throw;
            }

            session.Dispose();
        }

        return true;
    }

    private void Forget(LiveTrial live, bool abandon)
    {
        lock (_lock)
        {
            _live.Remove(live.Number);
        }

        if (abandon)
        {
            live.Current?.Session.Abandon();
        }
    }

    // Running trials of other workers whose heartbeat is older than the grace period: failed here,
    // in the storage and in TensorBoard, so that no session stays running for ever. A heartbeat
    // cannot go stale faster than its interval, so a worker looks at most twice per interval.
    private async Task SweepLostAsync(CancellationToken cancellationToken)
    {
        long now = _time.GetTimestamp();
        if (_lastSweep != long.MinValue && _time.GetElapsedTime(_lastSweep, now) < _options.HeartbeatInterval / 2)
        {
            return;
        }

        _lastSweep = now;
        IReadOnlyList<FrozenTrial> lost = await _options.Storage.FailStaleTrialsAsync(Name, _options.HeartbeatInterval * 2, cancellationToken).ConfigureAwait(false);
        foreach (FrozenTrial gone in lost)
        {
            _tensorBoard.EndLost(gone, _definition.Experiment.Resolve(gone.HParams));
            StudyLog.WorkerLost(_logger, gone.Number, Name, gone.Error ?? string.Empty);
        }
    }

    // Null while the study's counts leave room for a new trial (a lost one's configuration, say);
    // otherwise how many running trials may still make room (fail, or be lost and run again): 0
    // means the study is done.
    private int? LimitsReached()
    {
        StudyCounts counts = _trials.Counts();
        int running = counts.Running;
        if (_options.MaxCompleteTrials is int max && counts.Complete + running >= max)
        {
            return counts.Complete >= max && running == 0 ? 0 : Math.Max(running, 1);
        }

        // Trials in any state count, except those cut short (their configurations run again in their place).
        return _options.MaxTrials is int cap && counts.Live >= cap ? running : null;
    }

    // As LimitsReached, and also when the strategy's finite space is all taken.
    private int? RunningToWaitFor()
    {
        if (LimitsReached() is int waiting)
        {
            return waiting;
        }

        if (_options.Strategy.Capacity(_options.Space) is not long capacity)
        {
            return null;
        }

        // A failed trial's configuration stays taken (it would fail again), except a lost worker's, which runs again when swept.
        return _trials.ConfigurationsTaken >= capacity ? _trials.Counts().Running : null;
    }

    private IReadOnlyDictionary<HParam, object>? Propose(int number, int stream, IReadOnlyList<FrozenTrial> finished, IReadOnlyList<IReadOnlyDictionary<string, object>> running)
    {
        var context = new StrategyContext(_options.Space, _options.Objective, number, _prior.Count == 0 ? finished : [.. _prior, .. finished], running, TrialRandom.For(_options.Seed, number, stream))
        {
            TakenLookup = candidate => _trials.IsTaken(HParamsJson.Write(_definition.NormalizeHParams(candidate.ToDictionary(p => p.Key.Name, p => p.Value)))),
        };
        return Proposals.Next(_options.Strategy, context, finished, _options.Seed, _logger);
    }

    // A worker killed between the storage's record of a trial's end and the files' leaves a
    // session without an end; the storage knows how it ended. Every worker that sees the study
    // done writes the ends missing, one at a time (the log directory's lock), so TensorBoard shows
    // no session running for ever.
    private async Task RepairSessionsAsync(CancellationToken cancellationToken)
    {
        // Once per log directory and version of the study: the first worker to end does it, the
        // others find it done (workers on one machine share the directory; machines may not).
        string done = $"sessions-ended:{Environment.MachineName}:{LogDir}";
        using IDisposable? held = await _tensorBoard.LockAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, string> attributes = await _options.Storage.GetStudyAttributesAsync(Name, cancellationToken).ConfigureAwait(false);
        long version = _trials.Version;
        if (attributes.TryGetValue(done, out string? at) && long.TryParse(at, CultureInfo.InvariantCulture, out long repaired) && repaired >= version)
        {
            return;
        }

        foreach (FrozenTrial trial in _trials.Finished().Where(t => !_trials.IsMine(t.Number)))
        {
            if (_tensorBoard.EndFinished(trial))
            {
                StudyLog.SessionEndRepaired(_logger, trial.Number, Name, trial.State);
            }
        }

        await _options.Storage.SetStudyAttributeAsync(Name, done, version.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
    }
}
