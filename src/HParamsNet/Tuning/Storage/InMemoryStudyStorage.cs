using System.Globalization;
using HParamsNet.Events;
using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// A study storage in this process's memory: for tests, benchmarks, notebooks and several tasks
/// of one process on one study. Gone when the process ends.
/// </summary>
public sealed class InMemoryStudyStorage : IStudyStorage
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, StudyState> _studies = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;

    /// <summary>Creates an empty storage.</summary>
    /// <param name="time">The clock of start, end and heartbeat times; the system clock when <see langword="null"/>.</param>
    public InMemoryStudyStorage(TimeProvider? time = null) => _time = time ?? TimeProvider.System;

    /// <inheritdoc/>
    public ValueTask CreateOrLoadStudyAsync(StudyDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            if (!_studies.TryGetValue(definition.Name, out StudyState? study))
            {
                _studies.Add(definition.Name, new StudyState(definition, _time.GetUtcNow()));
            }
            else if (definition.DifferenceFrom(study.Definition) is string difference)
            {
                throw new InvalidOperationException($"Study '{definition.Name}' exists with a different definition: {difference}. Load it with the same hparams, metrics and objective, or choose another study name.");
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StudySummary>> GetStudiesAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<StudySummary>>([.. _studies.Values
                .OrderBy(s => s.Definition.Name, StringComparer.Ordinal)
                .Select(s => new StudySummary(s.Definition.Name, s.Definition.Experiment.CreatedAt(s.Created), s.Definition.Objective, s.Created))]);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> CreateTrialAsync(string study, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            StudyState state = Study(study);
            DateTimeOffset now = _time.GetUtcNow();
            var trial = new TrialRecord(state.Trials.Count + 1, now) { Version = ++state.Version };
            state.Trials.Add(trial);
            return ValueTask.FromResult(trial.Number);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int?> CreateTrialAsync(string study, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            StudyState state = Study(study);
            IReadOnlyDictionary<string, object> normalized = state.Definition.NormalizeHParams(hparams);
            string key = HParamsJson.Write(normalized);
            if (!state.Taken.Add(key))
            {
                return ValueTask.FromResult<int?>(null);
            }

            var trial = new TrialRecord(state.Trials.Count + 1, _time.GetUtcNow()) { HParams = normalized, Key = key, Version = ++state.Version };
            state.Trials.Add(trial);
            return ValueTask.FromResult<int?>(trial.Number);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> SetTrialHParamsAsync(string study, int number, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            StudyState state = Study(study);
            TrialRecord trial = Running(state, number, "set its hparams");
            if (trial.HParams is not null)
            {
                throw new InvalidOperationException($"Trial {number} of study '{study}' already has its hparams; a trial's configuration is set once.");
            }

            IReadOnlyDictionary<string, object> normalized = state.Definition.NormalizeHParams(hparams);
            string key = HParamsJson.Write(normalized);
            if (state.Taken.Contains(key))
            {
                return ValueTask.FromResult(false);
            }

            trial.HParams = normalized;
            trial.Key = key;
            trial.Version = ++state.Version;
            state.Taken.Add(key);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask ReportAsync(string study, int number, long atStep, double value, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            StudyState state = Study(study);
            TrialRecord trial = Running(state, number, "report a value");
            if (trial.Intermediate.Count > 0 && atStep <= trial.Intermediate[^1].Key)
            {
                throw new ArgumentException($"Trial {number} of study '{study}': step {atStep} is not after the previous step {trial.Intermediate[^1].Key}; report each step once, in increasing order.", nameof(atStep));
            }

            trial.Intermediate.Add(KeyValuePair.Create(atStep, value));
            trial.Version = ++state.Version;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask HeartbeatAsync(string study, int number, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            TrialRecord trial = Trial(Study(study), number);
            if (trial.Outcome is null)
            {
                trial.Heartbeat = _time.GetUtcNow();
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<bool> FinishTrialAsync(string study, int number, TrialOutcome outcome, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(outcome);

        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            StudyState state = Study(study);
            TrialRecord trial = Trial(state, number);
            if (trial.Outcome is not null)
            {
                return ValueTask.FromResult(false);
            }

            state.Finish(trial, outcome, _time.GetUtcNow());
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<FrozenTrial>> FailStaleTrialsAsync(string study, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(grace, TimeSpan.Zero);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            DateTimeOffset now = _time.GetUtcNow();
            var failed = new List<FrozenTrial>();
            StudyState state = Study(study);
            foreach (TrialRecord trial in state.Trials.Where(t => t.Outcome is null && now - t.Heartbeat > grace))
            {
                state.Finish(trial, TrialOutcome.Failed(string.Create(CultureInfo.InvariantCulture, $"{TrialOutcome.WorkerLost}: no heartbeat for {(now - trial.Heartbeat).TotalSeconds:0.0} s (grace {grace.TotalSeconds:0.0} s)")), now);
                failed.Add(trial.Freeze());
            }

            return ValueTask.FromResult<IReadOnlyList<FrozenTrial>>(failed);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<FrozenTrial>> GetTrialsAsync(string study, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<FrozenTrial>>([.. Study(study).Trials.Select(t => t.Freeze())]);
        }
    }

    /// <inheritdoc/>
    public ValueTask<TrialChanges> GetTrialChangesAsync(string study, long since, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            StudyState state = Study(study);
            return ValueTask.FromResult(new TrialChanges([.. state.Trials.Where(t => t.Version > since).Select(t => t.Freeze())], state.Version));
        }
    }

    /// <inheritdoc/>
    public ValueTask SetStudyAttributeAsync(string study, string key, string value, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            Study(study).Attributes[key] = value;
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<string, string>> GetStudyAttributesAsync(string study, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyDictionary<string, string>>(new Dictionary<string, string>(Study(study).Attributes, StringComparer.Ordinal));
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Puts back a trial read from another record (a log directory), under its own number; numbers
    /// missing before it (a run deleted by hand) come back as failed trials without a configuration.
    /// </summary>
    internal void Restore(string study, FrozenTrial trial)
    {
        lock (_lock)
        {
            StudyState state = Study(study);
            if (trial.Number <= state.Trials.Count)
            {
                throw new InvalidOperationException($"Study '{study}' already has trial {trial.Number}.");
            }

            while (state.Trials.Count + 1 < trial.Number)
            {
                var missing = new TrialRecord(state.Trials.Count + 1, trial.Started) { Version = ++state.Version };
                state.Trials.Add(missing);
                state.Finish(missing, TrialOutcome.Failed("not in the log directory (its run was removed)"), trial.Started);
            }

            var record = new TrialRecord(trial.Number, trial.Started) { Version = ++state.Version };
            if (trial.HParams.Count > 0)
            {
                record.HParams = state.Definition.NormalizeHParams(trial.HParams);
                record.Key = HParamsJson.Write(record.HParams);
                state.Taken.Add(record.Key);
            }

            record.Intermediate.AddRange(trial.IntermediateValues);
            state.Trials.Add(record);
            if (trial.IsFinished)
            {
                state.Finish(record, new TrialOutcome(trial.State, trial.Value, trial.FoldValues, trial.Error), trial.Ended ?? trial.Started);
            }
        }
    }

    private StudyState Study(string study)
    {
        ArgumentException.ThrowIfNullOrEmpty(study);
        return _studies.TryGetValue(study, out StudyState? state)
            ? state
            : throw new InvalidOperationException($"There is no study '{study}' in this storage; create it first (CreateOrLoadStudyAsync). Studies: {string.Join(", ", _studies.Keys.Order(StringComparer.Ordinal))}.");
    }

    private static TrialRecord Trial(StudyState study, int number) =>
        number >= 1 && number <= study.Trials.Count
            ? study.Trials[number - 1]
            : throw new InvalidOperationException($"Study '{study.Definition.Name}' has no trial {number} (it has {study.Trials.Count}).");

    private static TrialRecord Running(StudyState study, int number, string what)
    {
        TrialRecord trial = Trial(study, number);
        return trial.Outcome is null
            ? trial
            : throw new InvalidOperationException($"Cannot {what}: trial {number} of study '{study.Definition.Name}' is finished ({trial.Outcome.State}).");
    }

    private sealed class StudyState(StudyDefinition definition, DateTimeOffset created)
    {
        public StudyDefinition Definition { get; } = definition;

        public DateTimeOffset Created { get; } = created;

        public List<TrialRecord> Trials { get; } = [];

        public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);

        // Configurations of running, complete and pruned trials: each is taken once.
        public HashSet<string> Taken { get; } = new(StringComparer.Ordinal);

        public long Version { get; set; }

        public void Finish(TrialRecord trial, TrialOutcome outcome, DateTimeOffset now)
        {
            trial.Outcome = outcome;
            trial.Ended = now;
            trial.Version = ++Version;
            if (outcome.State == TrialState.Failed && trial.Key is not null)
            {
                Taken.Remove(trial.Key); // a failed configuration may be run again (a lost worker's is)
            }
        }
    }

    private sealed class TrialRecord(int number, DateTimeOffset started)
    {
        public int Number { get; } = number;

        public DateTimeOffset Started { get; } = started;

        public DateTimeOffset Heartbeat { get; set; } = started;

        public IReadOnlyDictionary<string, object>? HParams { get; set; }

        // The configuration in its canonical text, to find the same one quickly.
        public string? Key { get; set; }

        public List<KeyValuePair<long, double>> Intermediate { get; } = [];

        public TrialOutcome? Outcome { get; set; }

        public DateTimeOffset? Ended { get; set; }

        public long Version { get; set; }

        public FrozenTrial Freeze() => new(
            Number,
            TrialNames.Trial(Number),
            HParams ?? new Dictionary<string, object>(),
            Outcome?.State ?? TrialState.Running,
            Outcome?.Value ?? double.NaN,
            [.. Intermediate],
            Outcome?.FoldValues ?? [],
            Started,
            Ended,
            Outcome?.Error);
    }
}
