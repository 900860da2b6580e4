using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// A worker's copy of a shared study's trials, brought up to date with
/// <see cref="IStudyStorage.GetTrialChangesAsync"/>: each refresh fetches only what moved since the
/// last, so asking for a trial costs the same at ten thousand trials as at ten. Safe to share
/// between the tasks of one worker.
/// </summary>
internal sealed class StudyTrialsCopy(Func<IReadOnlyDictionary<string, object>, string> configurationKey)
{
    private readonly Lock _lock = new();

    // Configurations of every trial known (finished in any state, or running): what StrategyContext.IsTaken answers.
    private readonly HashSet<string> _taken = new(StringComparer.Ordinal);
    private readonly Dictionary<int, string> _keys = [];

    // Running, complete and pruned trials per configuration: a lost trial whose configuration has
    // none has not run again yet. Trials counted here, by number.
    private readonly Dictionary<string, int> _live = new(StringComparer.Ordinal);
    private readonly HashSet<int> _counted = [];
    private readonly SortedDictionary<int, FrozenTrial> _lost = [];
    private readonly HashSet<int> _mine = [];
    private readonly List<FrozenTrial> _finished = [];
    private readonly HashSet<int> _finishedNumbers = [];
    private readonly HashSet<int> _cutShort = [];
    private readonly SortedDictionary<int, FrozenTrial> _unfinished = [];
    private long _version;
    private int _complete;
    private int _lastNumber;

    /// <summary>How many configurations waited in the study's queue at the last refresh.</summary>
    public int QueuedTrials { get; private set; }

    /// <summary>The version of the study this copy has seen.</summary>
    public long Version
    {
        get
        {
            lock (_lock)
            {
                return _version;
            }
        }
    }

    /// <summary>Fetches what changed since this copy's version and applies it.</summary>
    public async Task RefreshAsync(IStudyStorage storage, string study, CancellationToken cancellationToken)
    {
        TrialChanges changes = await storage.GetTrialChangesAsync(study, Version, cancellationToken).ConfigureAwait(false);
        Apply(changes);
    }

    /// <summary>
    /// Applies changes read from this copy's version or earlier; an answer older than what the copy
    /// holds (two refreshes that crossed) is dropped, the newer one having covered it.
    /// </summary>
    public void Apply(TrialChanges changes)
    {
        lock (_lock)
        {
            if (changes.Version < _version)
            {
                return;
            }

            QueuedTrials = changes.QueuedTrials;
            if (changes.Version == _version)
            {
                return;
            }

            foreach (FrozenTrial trial in changes.Trials)
            {
                Merge(trial);
            }

            _version = changes.Version;
        }
    }

    /// <summary>A trial this worker has just created: known at once, before the next refresh brings it.</summary>
    public void AddCreated(FrozenTrial trial)
    {
        lock (_lock)
        {
            _mine.Add(trial.Number);
            Merge(trial);
        }
    }

    /// <summary>A trial as this worker told it: known at once, before the next refresh brings it.</summary>
    public void AddTold(FrozenTrial trial)
    {
        lock (_lock)
        {
            Merge(trial);
        }
    }

    /// <summary>
    /// Every trial but <paramref name="except"/>, finished and running, as a pruner compares them:
    /// with cross-validation, each trial's curve is the one of fold <paramref name="fold"/>.
    /// </summary>
    public IReadOnlyList<FrozenTrial> ForPruner(int except, int fold, bool crossValidated)
    {
        lock (_lock)
        {
            var trials = new List<FrozenTrial>(_finished.Count + _unfinished.Count);
            foreach (FrozenTrial trial in _finished.Concat(_unfinished.Values))
            {
                if (trial.Number != except)
                {
                    trials.Add(crossValidated ? trial with { IntermediateValues = trial.IntermediateValuesOf(fold) } : trial);
                }
            }

            return trials;
        }
    }

    /// <summary>Counts a trial this worker created as not its own: the repair of session ends looks at it too.</summary>
    public void Disown(int number)
    {
        lock (_lock)
        {
            _mine.Remove(number);
        }
    }

    /// <summary>Whether this worker created the trial (and so wrote its session, end included, being alive).</summary>
    public bool IsMine(int number)
    {
        lock (_lock)
        {
            return _mine.Contains(number);
        }
    }

    /// <summary>Whether a trial this worker did not create is running: another worker is at work on the study.</summary>
    public bool OthersRunning()
    {
        lock (_lock)
        {
            return _unfinished.Keys.Any(number => !_mine.Contains(number));
        }
    }

    /// <summary>The finished trials, by number: a snapshot.</summary>
    public IReadOnlyList<FrozenTrial> Finished()
    {
        lock (_lock)
        {
            return [.. _finished];
        }
    }

    /// <summary>
    /// The first trial whose worker was lost (or whose study was interrupted) and whose
    /// configuration has not run again (no running, complete or pruned trial has it): any worker may
    /// take it, and the storage lets one.
    /// </summary>
    public FrozenTrial? LostNotRunAgain()
    {
        lock (_lock)
        {
            // The first such configuration; of its lost trials, the one that finished most folds,
            // since those are carried into the trial that runs it again.
            FrozenTrial? chosen = null;
            foreach (FrozenTrial trial in _lost.Values)
            {
                string key = _keys[trial.Number];
                if (_live.GetValueOrDefault(key) > 0)
                {
                    continue;
                }

                if (chosen is null)
                {
                    chosen = trial;
                }
                else if (_keys[chosen.Number] == key && trial.FoldValues.Count >= chosen.FoldValues.Count)
                {
                    chosen = trial;
                }
            }

            return chosen;
        }
    }

    /// <summary>Whether a trial known to this copy has the configuration of this key.</summary>
    public bool IsTaken(string key)
    {
        lock (_lock)
        {
            return _taken.Contains(key);
        }
    }

    /// <summary>The number after every trial known: the one the next trial created gets, unless another worker creates one first.</summary>
    public int NextNumber
    {
        get
        {
            lock (_lock)
            {
                return _lastNumber + 1;
            }
        }
    }

    /// <summary>How many trials are complete, running, and not lost (every worker's).</summary>
    public StudyCounts Counts()
    {
        lock (_lock)
        {
            return new StudyCounts(_complete, _unfinished.Count, _finished.Count + _unfinished.Count - _cutShort.Count);
        }
    }

    /// <summary>Running trials that have a configuration, except <paramref name="except"/>: what other workers are trying now.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, object>> RunningConfigurations(int except)
    {
        lock (_lock)
        {
            return [.. _unfinished.Values.Where(t => t.Number != except && t.HParams.Count > 0).Select(t => t.HParams)];
        }
    }

    /// <summary>How many distinct configurations the trials known have (finished in any state, or running).</summary>
    public int ConfigurationsTaken
    {
        get
        {
            lock (_lock)
            {
                return _taken.Count;
            }
        }
    }

    // Under _lock.
    private void Merge(FrozenTrial trial)
    {
        _lastNumber = Math.Max(_lastNumber, trial.Number);
        if (!trial.IsFinished && _finishedNumbers.Contains(trial.Number))
        {
            return; // a read that began before this worker told the trial: finished is final
        }

        if (trial.HParams.Count > 0 && !_keys.ContainsKey(trial.Number))
        {
            _keys[trial.Number] = configurationKey(trial.HParams);
            _taken.Add(_keys[trial.Number]);
        }

        if (_keys.TryGetValue(trial.Number, out string? key))
        {
            bool live = trial.State != TrialState.Failed;
            if (live && _counted.Add(trial.Number))
            {
                _live[key] = _live.GetValueOrDefault(key) + 1;
            }
            else if (!live && _counted.Remove(trial.Number))
            {
                _live[key]--;
            }

            if (trial.RunsAgain)
            {
                _lost[trial.Number] = trial;
            }
        }

        if (trial.RunsAgain)
        {
            _cutShort.Add(trial.Number); // with or without a configuration, it does not count against MaxTrials
        }

        _unfinished.Remove(trial.Number);
        if (trial.IsFinished)
        {
            _finishedNumbers.Add(trial.Number);
            _complete += Insert(trial) && trial.State == TrialState.Complete ? 1 : 0;
        }
        else
        {
            _unfinished[trial.Number] = trial;
        }
    }

    // Finished trials arrive nearly in number order; a finished trial is final, so a repeat replaces. True when new.
    private bool Insert(FrozenTrial trial)
    {
        int at = _finished.Count;
        while (at > 0 && _finished[at - 1].Number > trial.Number)
        {
            at--;
        }

        if (at > 0 && _finished[at - 1].Number == trial.Number)
        {
            _finished[at - 1] = trial;
            return false;
        }

        _finished.Insert(at, trial);
        return true;
    }
}

/// <summary>What a worker's copy counts.</summary>
/// <param name="Complete">Complete trials.</param>
/// <param name="Running">Running trials, every worker's.</param>
/// <param name="Live">Trials in any state but lost with their worker (a lost trial's configuration runs again in its place).</param>
internal readonly record struct StudyCounts(int Complete, int Running, int Live);
