using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>One study of an <see cref="InMemoryStudyStorage"/>: its trials, queue and attributes. Guarded by the storage's lock.</summary>
internal sealed class InMemoryStudy(StudyDefinition definition, DateTimeOffset created)
{
    public StudyDefinition Definition { get; } = definition;

    public DateTimeOffset Created { get; } = created;

    public List<InMemoryTrial> Trials { get; } = [];

    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);

    // Configurations of running, complete and pruned trials: each is taken once.
    public HashSet<string> Taken { get; } = new(StringComparer.Ordinal);

    // Configurations of every trial, in any state: what the queue refuses.
    public HashSet<string> Ever { get; } = new(StringComparer.Ordinal);

    public List<(string Key, IReadOnlyDictionary<string, object> HParams)> Queue { get; } = [];

    public long Version { get; set; }

    /// <summary>A configuration checked against the study's hparams, and its canonical text.</summary>
    /// <exception cref="ArgumentException">A value is missing, unknown or outside its domain.</exception>
    public (IReadOnlyDictionary<string, object> Normalized, string Key) Configuration(IReadOnlyDictionary<string, object> hparams)
    {
        IReadOnlyDictionary<string, object> normalized = Definition.NormalizeHParams(hparams);
        return (normalized, HParamsJson.Write(normalized));
    }

    /// <summary>Whether the study may create another trial under <paramref name="limits"/>.</summary>
    public bool Allows(TrialLimits? limits) => limits is null || limits.Allow(
        Trials.Count,
        Trials.Count(t => t.Outcome is { State: TrialState.Failed } outcome && TrialErrors.RunsAgain(outcome.Error)),
        Trials.Count(t => t.Outcome is null || t.Outcome.State == TrialState.Complete));

    public InMemoryTrial Add(DateTimeOffset now, IReadOnlyDictionary<string, object>? hparams, string? key)
    {
        var trial = new InMemoryTrial(Trials.Count + 1, now) { HParams = hparams, Key = key, Version = ++Version };
        Trials.Add(trial);
        if (key is not null)
        {
            Taken.Add(key);
            Ever.Add(key);
        }

        return trial;
    }

    public void Finish(InMemoryTrial trial, TrialOutcome outcome, DateTimeOffset now)
    {
        trial.Outcome = outcome;
        trial.Ended = now;
        trial.Version = ++Version;
        if (outcome.FoldValues.Count > 0)
        {
            trial.FoldValues = [.. outcome.FoldValues];
        }

        if (outcome.State == TrialState.Failed && trial.Key is not null)
        {
            Taken.Remove(trial.Key); // a failed configuration may be run again (a lost worker's is)
        }
    }
}

/// <summary>One trial of an <see cref="InMemoryStudy"/>.</summary>
internal sealed class InMemoryTrial(int number, DateTimeOffset started)
{
    public int Number { get; } = number;

    public DateTimeOffset Started { get; } = started;

    public DateTimeOffset Heartbeat { get; set; } = started;

    public IReadOnlyDictionary<string, object>? HParams { get; set; }

    // The configuration in its canonical text, to find the same one quickly.
    public string? Key { get; set; }

    public List<IntermediateValue> Intermediate { get; } = [];

    public IReadOnlyList<double> FoldValues { get; set; } = [];

    public Dictionary<string, string> Attributes { get; } = new(StringComparer.Ordinal);

    public TrialOutcome? Outcome { get; set; }

    public DateTimeOffset? Ended { get; set; }

    public long Version { get; set; }

    public long? LastStep(int fold)
    {
        for (int i = Intermediate.Count - 1; i >= 0; i--)
        {
            if (Intermediate[i].Fold == fold)
            {
                return Intermediate[i].Step;
            }
        }

        return null;
    }

    public FrozenTrial Freeze() => TrialSnapshots.WithValues(TrialSnapshots.Create(
        Number,
        HParams,
        Outcome?.State ?? TrialState.Running,
        Outcome?.Value ?? double.NaN,
        TrialSnapshots.ByFold(Intermediate.OrderBy(v => v.Fold)),
        FoldValues,
        Started,
        Ended,
        Outcome?.Error,
        new Dictionary<string, string>(Attributes, StringComparer.Ordinal)), Outcome);
}
