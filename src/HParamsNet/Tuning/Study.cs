using System.Globalization;
using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HParamsNet.Tuning;

/// <summary>
/// A study that a user's own loop drives (Optuna's ask and tell), shared by any number of workers
/// through an <see cref="IStudyStorage"/>: <see cref="AskAsync"/> gives a trial with its
/// configuration (proposed by the strategy from every worker's trials, running ones included) and a
/// TensorBoard session in the study's log directory; <see cref="TellAsync(Trial, double, CancellationToken)"/>
/// and its siblings finish it. Running trials send heartbeats; a trial whose worker went silent is
/// failed by the next worker that asks ("worker lost", also in TensorBoard) and its configuration
/// is run again by that worker.
/// </summary>
/// <remarks>
/// One session per trial (cross-validation folds are the <see cref="Tuner"/>'s, for now). Session
/// groups are <c>trial-NNNN@id</c>, the id derived from the study's name, so every worker writes
/// the same groups without agreeing on anything else.
/// </remarks>
public sealed class Study : IAsyncDisposable
{
    // How often a worker proposes again when others keep taking its proposals first.
    private const int MaxProposalRaces = 20;

    // How often a worker waiting for the study's last running trials looks again (a read; sweeps
    // for lost workers keep their own pace): short, so that workers end soon after the study.
    private static readonly TimeSpan MaxWaitPoll = TimeSpan.FromMilliseconds(200);

    private readonly StudyOptions _options;
    private readonly string _logDir;
    private readonly string _groupId;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Dictionary<int, AskedTrial> _asked = [];
    private readonly StudyTrialsCopy _trials;

    // This worker's random streams beside other workers: far from the attempts (1, 2, ...) that re-ask a strategy.
    private readonly int _stream = Random.Shared.Next(1_000, int.MaxValue / 2);
    private readonly StudyDefinition _definition;
    private long _lastSweep = long.MinValue;

    private Study(StudyOptions options)
    {
        _options = options;
        _logDir = Path.GetFullPath(options.LogDir);
        _groupId = TrialNames.StudyId(options.Name);
        _logger = options.Logger ?? NullLogger.Instance;
        _time = options.TimeProvider ?? TimeProvider.System;
        StudyDefinition definition = options.Definition;
        _trials = new StudyTrialsCopy(hparams => HParamsJson.Write(definition.NormalizeHParams(hparams)));
        _definition = definition;
    }

    /// <summary>The study's name.</summary>
    public string Name => _options.Name;

    /// <summary>Creates the study in its storage and its experiment in the log directory, or joins them.</summary>
    /// <param name="options">The study and this worker's settings.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">The storage or the log directory holds another definition under this name; the message names the difference.</exception>
    public static async Task<Study> CreateOrLoadAsync(StudyOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (options.Storage is LogDirectoryStudyStorage files && !string.Equals(files.LogDir, Path.GetFullPath(options.LogDir), StringComparison.Ordinal))
        {
            throw new ArgumentException($"The study's LogDir '{Path.GetFullPath(options.LogDir)}' is not its log-directory storage's '{files.LogDir}'; the sessions are the storage's record, so give both the same directory.", nameof(options));
        }

        var study = new Study(options);
        await options.Storage.CreateOrLoadStudyAsync(study._definition, cancellationToken).ConfigureAwait(false);
        await study.EnsureExperimentAsync(cancellationToken).ConfigureAwait(false);
        return study;
    }

    /// <summary>
    /// The next trial: failed trials of lost workers are swept first (and the first one's
    /// configuration is run again here); otherwise the strategy proposes. <see langword="null"/> when
    /// the strategy has nothing left.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call; the trial it passes to the objective.</param>
    public async Task<Trial?> AskAsync(CancellationToken cancellationToken = default)
    {
        IStudyStorage storage = _options.Storage;
        FrozenTrial? again;
        while (true)
        {
            await SweepLostAsync(cancellationToken).ConfigureAwait(false);
            await _trials.RefreshAsync(storage, Name, cancellationToken).ConfigureAwait(false);

            // A lost worker's trial runs again first (whoever swept it), unless the study is done.
            again = _trials.LostNotRunAgain();
            if (again is not null && !Done())
            {
                break;
            }

            again = null;
            if (RunningToWaitFor() is not { } running)
            {
                break;
            }

            if (running == 0)
            {
                await RepairSessionsAsync(cancellationToken).ConfigureAwait(false);
                return null; // the study is done: no trial is created for nothing
            }

            // Only running trials stand between the study and its end: one may belong to a lost
            // worker, whose configuration runs again here once its heartbeat is old enough. Wait
            // rather than end this worker too early.
            await Task.Delay(TimeSpan.FromTicks(Math.Min(_options.HeartbeatInterval.Ticks / 2, MaxWaitPoll.Ticks)), _time, cancellationToken).ConfigureAwait(false);
        }

        // Propose, then create the trial with its configuration in one write. The proposal draws
        // from the random source of the number the trial will most likely get (the next after every
        // trial this worker knows; always so with one worker, so a study stays reproducible); when
        // another worker took that number or the configuration first, propose again, seeing it.
        IReadOnlyDictionary<HParam, object>? hparams = again is null ? null : _definition.Experiment.Resolve(again.HParams);
        IReadOnlyList<FrozenTrial> finished;
        int number;
        for (int attempt = 0; ; attempt++)
        {
            finished = _trials.Finished();
            int expected = _trials.NextNumber;
            // Alone, trial n draws from (seed, n): a study reproduces. Beside other workers, which
            // guess the same next number from the same copy of the study, each draws from a stream
            // of its own, so that they do not propose the same configuration (and race for it).
            int stream = _trials.OthersRunning() ? _stream + attempt : 0;
            hparams ??= Propose(expected, stream, finished, _trials.RunningConfigurations(except: 0));
            if (hparams is null)
            {
                return null; // the strategy has nothing left: no trial is created for nothing
            }

            if (await storage.CreateTrialAsync(Name, hparams.ToDictionary(p => p.Key.Name, p => p.Value), cancellationToken).ConfigureAwait(false) is int created)
            {
                number = created;
                _trials.AddCreated(new FrozenTrial(number, TrialNames.Trial(number), hparams.ToDictionary(p => p.Key.Name, p => p.Key.Validate(p.Value)), TrialState.Running, double.NaN, [], [], _time.GetUtcNow(), null, null));
                break;
            }

            if (attempt >= MaxProposalRaces)
            {
                throw new InvalidOperationException($"Study '{Name}': {MaxProposalRaces + 1} proposals in a row were each taken by another worker first; the strategy keeps proposing what others run. Use fewer workers or a strategy with more randomness.");
            }

            hparams = null;
            await _trials.RefreshAsync(storage, Name, cancellationToken).ConfigureAwait(false);
        }

        var session = new TrialSession(_logDir, TrialNames.Trial(number), hparams, TrialNames.Group(number, _groupId), _options.WriterOptions, syncToDisk: false);
        var trial = new Trial(number, hparams, null, session, _options.Objective, _options.Pruner, () => finished, cancellationToken);
        ITimer heartbeat = _time.CreateTimer(_ => _ = HeartbeatAsync(number), null, _options.HeartbeatInterval, _options.HeartbeatInterval);
        lock (_lock)
        {
            _asked[number] = new AskedTrial(trial, session, heartbeat);
        }

        return trial;
    }

    /// <summary>Finishes a trial as complete with its objective value (NaN or infinite: failed, as in the tuner).</summary>
    /// <param name="trial">A trial this object asked for.</param>
    /// <param name="value">The objective's value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when another worker had already failed the trial as lost (its result is then not recorded).</returns>
    public Task<bool> TellAsync(Trial trial, double value, CancellationToken cancellationToken = default) =>
        TellAsync(trial, new TrialValues(value), cancellationToken);

    /// <summary>Finishes a trial as complete with its objective value and other metrics' values (a non-finite objective: failed).</summary>
    /// <param name="trial">A trial this object asked for.</param>
    /// <param name="values">The objective's value, and final values of the study's other metrics.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns><see langword="false"/> when another worker had already failed the trial as lost (its result is then not recorded).</returns>
    public Task<bool> TellAsync(Trial trial, TrialValues values, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        Metric metric = _options.Objective.Metric;
        return double.IsFinite(values.Objective)
            ? FinishAsync(trial, TrialOutcome.Complete(values.Objective), session =>
            {
                trial.WriteFinal(metric, values.Objective);
                foreach ((Metric other, double value) in values.Others)
                {
                    trial.WriteFinal(other, value);
                }

                session.EndComplete(metric, values.Objective);
            }, cancellationToken)
            : TellFailedAsync(trial, new NonFiniteObjectiveException(metric, values.Objective).Message, cancellationToken);
    }

    /// <summary>Finishes a trial as stopped early by the pruner.</summary>
    /// <param name="trial">A trial this object asked for.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<bool> TellPrunedAsync(Trial trial, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return FinishAsync(trial, TrialOutcome.Pruned(), session => session.EndPruned(trial.IntermediateValues), cancellationToken);
    }

    /// <summary>Finishes a trial as failed, and why.</summary>
    /// <param name="trial">A trial this object asked for.</param>
    /// <param name="error">What went wrong.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    public Task<bool> TellFailedAsync(Trial trial, string error, CancellationToken cancellationToken = default) =>
        FinishAsync(trial, TrialOutcome.Failed(error), session => session.EndFailed(error), cancellationToken);

    /// <summary>The finished trials (by number) and the running count, as this worker last read them: no storage call.</summary>
    internal (IReadOnlyList<FrozenTrial> Finished, int Running) Snapshot() => (_trials.Finished(), _trials.Counts().Running);

    /// <summary>Every trial of the study (every worker's), by number.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    public async Task<IReadOnlyList<FrozenTrial>> GetTrialsAsync(CancellationToken cancellationToken = default) =>
        await _options.Storage.GetTrialsAsync(Name, cancellationToken).ConfigureAwait(false);

    /// <summary>Stops the heartbeats of trials not told (another worker fails them after the grace period) and closes their files.</summary>
    public async ValueTask DisposeAsync()
    {
        List<AskedTrial> open;
        lock (_lock)
        {
            open = [.. _asked.Values];
            _asked.Clear();
        }

        foreach (AskedTrial asked in open)
        {
            await asked.Heartbeat.DisposeAsync().ConfigureAwait(false);
            asked.Session.Dispose();
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
            TrialSession.EndLost(_logDir, gone, _definition.Experiment.Resolve(gone.HParams), TrialNames.Group(gone.Number, _groupId), _options.WriterOptions);
            StudyLog.WorkerLost(_logger, gone.Number, Name, gone.Error ?? string.Empty);
        }
    }

    private bool Done()
    {
        StudyCounts counts = _trials.Counts();
        return counts.Complete >= (_options.MaxCompleteTrials ?? int.MaxValue) || counts.Live >= (_options.MaxTrials ?? int.MaxValue);
    }

    // Null while a new trial may start; otherwise how many running trials may still make room
    // (fail, or be lost and run again): 0 means the study is done. Either the study has its
    // complete trials, or the strategy's finite space is all taken.
    private int? RunningToWaitFor()
    {
        StudyCounts counts = _trials.Counts();
        int running = counts.Running;
        if (_options.MaxCompleteTrials is int max && counts.Complete + running >= max)
        {
            return counts.Complete >= max && running == 0 ? 0 : Math.Max(running, 1);
        }

        // Trials in any state count, except lost ones (their configuration runs again in their place).
        if (_options.MaxTrials is int cap && counts.Live >= cap)
        {
            return running;
        }

        if (_options.Strategy.Capacity(_options.Space) is not long capacity)
        {
            return null;
        }

        // A failed trial's configuration stays taken (it would fail again), except a lost worker's, which runs again when swept.
        return _trials.ConfigurationsTaken >= capacity ? running : null;
    }

    private IReadOnlyDictionary<HParam, object>? Propose(int number, int stream, IReadOnlyList<FrozenTrial> finished, IReadOnlyList<IReadOnlyDictionary<string, object>> running)
    {
        var context = new StrategyContext(_options.Space, _options.Objective, number, finished, running, TrialRandom.For(_options.Seed, number, stream))
        {
            TakenLookup = candidate => _trials.IsTaken(HParamsJson.Write(_definition.NormalizeHParams(candidate.ToDictionary(p => p.Key.Name, p => p.Value)))),
        };
        return Proposals.Next(_options.Strategy, context, finished, _options.Seed, _logger);
    }

    private async Task<bool> FinishAsync(Trial trial, TrialOutcome outcome, Action<TrialSession> end, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(trial);
        AskedTrial asked;
        lock (_lock)
        {
            if (!_asked.Remove(trial.Number, out asked!))
            {
                throw new InvalidOperationException($"Trial {trial.Number} was not asked for through this study object, or was told already.");
            }
        }

        await asked.Heartbeat.DisposeAsync().ConfigureAwait(false);
        using TrialSession session = asked.Session;
        foreach ((long step, double value) in trial.IntermediateValues)
        {
            await _options.Storage.ReportAsync(Name, trial.Number, step, value, cancellationToken).ConfigureAwait(false);
        }

        // The storage decides: a trial another worker failed as lost keeps that end in TensorBoard too.
        if (!await _options.Storage.FinishTrialAsync(Name, trial.Number, outcome, cancellationToken).ConfigureAwait(false))
        {
            session.Abandon();
            StudyLog.ToldTooLate(_logger, trial.Number, Name);
            return false;
        }

        end(session);
        return true;
    }

    private async Task HeartbeatAsync(int number)
    {
        try
        {
            await _options.Storage.HeartbeatAsync(Name, number).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            StudyLog.HeartbeatFailed(_logger, number, Name, e);
        }
    }

    // A worker killed between the storage's record of a trial's end and the file's leaves a
    // session without an end; the storage knows how it ended. Every worker that sees the study done
    // writes the ends missing, one at a time (the log directory's lock), so TensorBoard shows no
    // session running for ever.
    private async Task RepairSessionsAsync(CancellationToken cancellationToken)
    {
        // Once per log directory and version of the study: the first worker to end does it, the
        // others find it done (workers on one machine share the directory; machines may not).
        string done = $"sessions-ended:{Environment.MachineName}:{_logDir}";
        using IDisposable? held = await AcquireAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, string> attributes = await _options.Storage.GetStudyAttributesAsync(Name, cancellationToken).ConfigureAwait(false);
        long version = _trials.Version;
        if (attributes.TryGetValue(done, out string? at) && long.TryParse(at, CultureInfo.InvariantCulture, out long repaired) && repaired >= version)
        {
            return;
        }

        foreach (FrozenTrial trial in _trials.Finished().Where(t => !_trials.IsMine(t.Number)))
        {
            if (TrialSession.EndFinished(_logDir, trial, _options.Objective.Metric, _options.WriterOptions))
            {
                StudyLog.SessionEndRepaired(_logger, trial.Number, Name, trial.State);
            }
        }

        await _options.Storage.SetStudyAttributeAsync(Name, done, version.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
    }

    // The experiment is written once, by the first worker, under the log directory's lock.
    private async Task EnsureExperimentAsync(CancellationToken cancellationToken)
    {
        using IDisposable? held = await AcquireAsync(cancellationToken).ConfigureAwait(false);
        Protos.HParams.Experiment? recorded = LogDirectory.FindRuns(_logDir).Count == 0 ? null : HParamsLogReader.ReadStoredExperiment(_logDir);
        if (recorded is null)
        {
            LogDirectoryStore.PublishExperiment(_logDir, _definition.Experiment, _groupId, _options.WriterOptions);
        }
        else if (ExperimentDifference.Describe(recorded, _definition.Experiment.ToProto(0)) is string difference)
        {
            throw new InvalidOperationException($"'{_logDir}' holds another study's experiment: {difference}. Give study '{Name}' its own log directory; nothing was changed.");
        }
    }

    // Another worker creating the experiment holds the lock for milliseconds; a running single-process study holds it for good.
    // A log-directory storage holds it already, for this process (null: nothing more to take).
    private async Task<IDisposable?> AcquireAsync(CancellationToken cancellationToken)
    {
        if (_options.Storage is LogDirectoryStudyStorage)
        {
            return null;
        }

        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return LogDirectoryLock.Acquire(_logDir, _time);
            }
            catch (InvalidOperationException) when (attempt < 100)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private sealed record AskedTrial(Trial Trial, TrialSession Session, ITimer Heartbeat);
}
