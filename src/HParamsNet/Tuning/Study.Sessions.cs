using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tuning;

// What a Study gives to run next: the next fold of a trial of its own, a lost trial's configuration
// again (its finished folds carried over), a queued configuration, or the strategy's proposal,
// each created in the storage within the study's limits.
public sealed partial class Study
{
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
                created = _trials.QueuedTrials > 0 ? await CreateQueuedAsync(cancellationToken).ConfigureAwait(false) : null;
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
            Objectives = _options.Objectives,
            Constraints = _options.Constraints,
            TakenLookup = candidate => _trials.IsTaken(HParamsJson.Write(_definition.NormalizeHParams(candidate.ToDictionary(p => p.Key.Name, p => p.Value)))),
        };
        return Proposals.Next(_options.Strategy, context, finished, _options.Seed, _logger);
    }
}
