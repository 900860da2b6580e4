using HParamsNet.Trials;

namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// How a study chooses the next configuration (Optuna's sampler). Implement
/// <see cref="Propose"/>; everything a strategy may use is in the <see cref="StrategyContext"/>,
/// which the tuner rebuilds from the log directory on resume, so a strategy keeps no state of
/// its own that a crash could lose.
/// </summary>
public abstract class SearchStrategy
{
    /// <summary>The configuration of the next trial, or <see langword="null"/> when the strategy has nothing left to try.</summary>
    /// <param name="context">The space, the finished and running trials, and this trial's random source.</param>
    public abstract IReadOnlyDictionary<HParam, object>? Propose(StrategyContext context);

    /// <summary>How many configurations the strategy can propose at most, when that is finite (a grid).</summary>
    /// <param name="space">The search space.</param>
    public virtual long? Capacity(IReadOnlyList<HParam> space) => null;
}

/// <summary>What a <see cref="SearchStrategy"/> sees when it proposes.</summary>
/// <param name="Space">The hparams searched, in declaration order.</param>
/// <param name="Objective">The metric and direction (with several objectives, the first; see <see cref="Objectives"/>).</param>
/// <param name="TrialNumber">The number of the trial being proposed.</param>
/// <param name="Trials">Finished trials (complete, failed, pruned), in number order; prior trials from warm-start log directories come first. A live view: valid during the call only.</param>
/// <param name="Running">Configurations being tried right now by other workers.</param>
/// <param name="Random">A random source seeded by the study's seed and <paramref name="TrialNumber"/>, so a proposal does not depend on what ran before a crash.</param>
public sealed record StrategyContext(
    IReadOnlyList<HParam> Space,
    Objective Objective,
    int TrialNumber,
    IReadOnlyList<FrozenTrial> Trials,
    IReadOnlyList<IReadOnlyDictionary<string, object>> Running,
    Random Random)
{
    /// <summary>Every objective of the study, in the order of each trial's <see cref="FrozenTrial.Values"/>; the first is <see cref="Objective"/>.</summary>
    public IReadOnlyList<Objective> Objectives
    {
        get => _objectives ?? [Objective];
        init => _objectives = value;
    }

    private readonly IReadOnlyList<Objective>? _objectives;

    /// <summary>The study's constraints (feasible when each is at most 0), in the order of each trial's <see cref="FrozenTrial.Constraints"/>.</summary>
    public IReadOnlyList<Metric> Constraints { get; init; } = [];

    /// <summary>Whether a configuration equal to <paramref name="candidate"/> was tried already or is running.</summary>
    public bool IsTaken(IReadOnlyDictionary<HParam, object> candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return TakenLookup?.Invoke(candidate)
            ?? (Trials.Any(t => SameConfiguration(candidate, t.HParams)) || Running.Any(r => SameConfiguration(candidate, r)));
    }

    // The same answer as the scan above from an index a caller keeps (a study's copy of its trials):
    // a lookup instead of a pass over every trial, which at 10,000 trials cost a millisecond a call.
    internal Func<IReadOnlyDictionary<HParam, object>, bool>? TakenLookup { get; init; }

    /// <summary>Whether two configurations give every hparam the same value (16 equals 16.0).</summary>
    public static bool SameConfiguration(IReadOnlyDictionary<HParam, object> candidate, IReadOnlyDictionary<string, object> recorded)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(recorded);
        return candidate.Count == recorded.Count && candidate.All(pair =>
            recorded.TryGetValue(pair.Key.Name, out object? value) && HParamValues.AreEqual(HParamValues.Normalize(pair.Key.Name, pair.Value), value));
    }
}
