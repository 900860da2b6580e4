using System.Globalization;
using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// A study storage in this process's memory: for tests, benchmarks, notebooks and several tasks
/// of one process on one study. Gone when the process ends.
/// </summary>
public sealed class InMemoryStudyStorage : IStudyStorage
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, InMemoryStudy> _studies = new(StringComparer.Ordinal);
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
            if (!_studies.TryGetValue(definition.Name, out InMemoryStudy? study))
            {
                _studies.Add(definition.Name, new InMemoryStudy(definition, _time.GetUtcNow()));
            }
            else if (definition.DifferenceFrom(study.Definition) is string difference)
            {
                throw new InvalidOperationException($"Study '{definition.Name}' exists with a different definition: {difference}. Load it with the same hparams, metrics, objective and folds, or choose another study name.");
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
                .Select(s => new StudySummary(s.Definition.Name, s.Definition.Experiment.CreatedAt(s.Created), s.Definition.Objective, s.Created)
                {
                    Objectives = s.Definition.Objectives,
                    Constraints = s.Definition.Constraints,
                    Strategy = s.Definition.Strategy,
                    Folds = s.Definition.Folds,
                })]);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int> CreateTrialAsync(string study, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(Study(study).Add(_time.GetUtcNow(), null, null).Number);
        }
    }

    /// <inheritdoc/>
    public ValueTask<int?> CreateTrialAsync(string study, IReadOnlyDictionary<string, object> hparams, TrialLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            InMemoryStudy state = Study(study);
            (IReadOnlyDictionary<string, object> normalized, string key) = state.Configuration(hparams);
            return ValueTask.FromResult<int?>(state.Taken.Contains(key) || !state.Allows(limits) ? null : state.Add(_time.GetUtcNow(), normalized, key).Number);
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> SetTrialHParamsAsync(string study, int number, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            InMemoryStudy state = Study(study);
            InMemoryTrial trial = Running(state, number, "set its hparams");
            if (trial.HParams is not null)
            {
                throw new InvalidOperationException($"Trial {number} of study '{study}' already has its hparams; a trial's configuration is set once.");
            }

            (IReadOnlyDictionary<string, object> normalized, string key) = state.Configuration(hparams);
            if (state.Taken.Contains(key))
            {
                return ValueTask.FromResult(false);
            }

            trial.HParams = normalized;
            trial.Key = key;
            trial.Version = ++state.Version;
            state.Taken.Add(key);
            state.Ever.Add(key);
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask ReportAsync(string study, int number, TrialReport report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        cancellationToken.ThrowIfCancellationRequested();
        TrialReportRules.Check(study, number, report);
        lock (_lock)
        {
            InMemoryStudy state = Study(study);
            InMemoryTrial trial = Running(state, number, "report a value");
            foreach (IntermediateValue first in TrialReportRules.FirstPerFold(report))
            {
                if (trial.LastStep(first.Fold) is long previous)
                {
                    TrialReportRules.ThrowIfNotAfter(study, number, first, previous);
                }
            }

            trial.Intermediate.AddRange(report.Values);
            if (report.FoldValues is not null)
            {
                trial.FoldValues = [.. report.FoldValues];
            }

            foreach ((string key, string value) in report.UserAttributes)
            {
                trial.Attributes[key] = value;
            }

            if (!report.IsEmpty)
            {
                trial.Version = ++state.Version;
                trial.Heartbeat = _time.GetUtcNow(); // a trial that reports is alive
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask HeartbeatAsync(string study, int number, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            InMemoryTrial trial = Trial(Study(study), number);
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
            InMemoryStudy state = Study(study);
            InMemoryTrial trial = Trial(state, number);
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
            InMemoryStudy state = Study(study);
            foreach (InMemoryTrial trial in state.Trials.Where(t => t.Outcome is null && now - t.Heartbeat > grace))
            {
                state.Finish(trial, TrialOutcome.Failed(string.Create(CultureInfo.InvariantCulture, $"{TrialErrors.WorkerLost}: no heartbeat for {(now - trial.Heartbeat).TotalSeconds:0.0} s (grace {grace.TotalSeconds:0.0} s)")), now);
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
            InMemoryStudy state = Study(study);
            return ValueTask.FromResult(new TrialChanges([.. state.Trials.Where(t => t.Version > since).Select(t => t.Freeze())], state.Version) { QueuedTrials = state.Queue.Count });
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
    public ValueTask<bool> EnqueueTrialAsync(string study, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            InMemoryStudy state = Study(study);
            (IReadOnlyDictionary<string, object> normalized, string key) = state.Configuration(hparams);
            if (state.Ever.Contains(key) || state.Queue.Exists(q => q.Key == key))
            {
                return ValueTask.FromResult(false);
            }

            state.Queue.Add((key, normalized));
            return ValueTask.FromResult(true);
        }
    }

    /// <inheritdoc/>
    public ValueTask<FrozenTrial?> CreateTrialFromQueueAsync(string study, TrialLimits? limits = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            InMemoryStudy state = Study(study);
            while (state.Queue.Count > 0 && state.Allows(limits))
            {
                (string key, IReadOnlyDictionary<string, object> hparams) = state.Queue[0];
                state.Queue.RemoveAt(0);
                if (!state.Taken.Contains(key))
                {
                    return ValueTask.FromResult<FrozenTrial?>(state.Add(_time.GetUtcNow(), hparams, key).Freeze());
                }
            }

            return ValueTask.FromResult<FrozenTrial?>(null);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    /// <summary>
    /// Puts back a trial read from another record (a log directory), under its own number; numbers
    /// missing before it (a run deleted by hand) come back as failed trials without a configuration.
    /// A running trial comes back running, with the heartbeat its snapshot's start gives it.
    /// </summary>
    internal void Restore(string study, FrozenTrial trial)
    {
        lock (_lock)
        {
            InMemoryStudy state = Study(study);
            if (trial.Number <= state.Trials.Count)
            {
                throw new InvalidOperationException($"Study '{study}' already has trial {trial.Number}.");
            }

            while (state.Trials.Count + 1 < trial.Number)
            {
                InMemoryTrial missing = state.Add(trial.Started, null, null);
                state.Finish(missing, TrialOutcome.Failed($"{TrialErrors.WorkerLost}: not in the log directory (its process died before the trial's first write, or its run was removed)"), trial.Started);
            }

            IReadOnlyDictionary<string, object>? hparams = trial.HParams.Count > 0 ? state.Definition.NormalizeHParams(trial.HParams) : null;
            InMemoryTrial record = state.Add(trial.Started, hparams, hparams is null ? null : HParamsJson.Write(hparams));
            record.Heartbeat = trial.Started;
            for (int fold = 0; fold < trial.IntermediateValuesByFold.Count; fold++)
            {
                record.Intermediate.AddRange(trial.IntermediateValuesByFold[fold].Select(p => new IntermediateValue(fold, p.Key, p.Value)));
            }

            record.FoldValues = trial.FoldValues;
            foreach ((string key, string value) in trial.UserAttributes)
            {
                record.Attributes[key] = value;
            }

            if (trial.IsFinished)
            {
                state.Finish(record, new TrialOutcome(trial.State, trial.Value, trial.FoldValues, trial.Error) { Values = trial.Values.Count > 1 ? trial.Values : [], Constraints = trial.Constraints }, trial.Ended ?? trial.Started);
            }
        }
    }

    private InMemoryStudy Study(string study)
    {
        ArgumentException.ThrowIfNullOrEmpty(study);
        return _studies.TryGetValue(study, out InMemoryStudy? state)
            ? state
            : throw new InvalidOperationException($"There is no study '{study}' in this storage; create it first (CreateOrLoadStudyAsync). Studies: {string.Join(", ", _studies.Keys.Order(StringComparer.Ordinal))}.");
    }

    private static InMemoryTrial Trial(InMemoryStudy study, int number) =>
        number >= 1 && number <= study.Trials.Count
            ? study.Trials[number - 1]
            : throw new InvalidOperationException($"Study '{study.Definition.Name}' has no trial {number} (it has {study.Trials.Count}).");

    private static InMemoryTrial Running(InMemoryStudy study, int number, string what)
    {
        InMemoryTrial trial = Trial(study, number);
        return trial.Outcome is null
            ? trial
            : throw new InvalidOperationException($"Cannot {what}: trial {number} of study '{study.Definition.Name}' is finished ({trial.Outcome.State}).");
    }
}
