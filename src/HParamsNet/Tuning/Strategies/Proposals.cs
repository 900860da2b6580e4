using HParamsNet.Trials;
using Microsoft.Extensions.Logging;

namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// Asks a strategy for the next configuration and holds it to the contract every caller relies
/// on: a value for each hparam inside its domain, and never a configuration of this study that
/// is finished or running while the space has others left.
/// </summary>
internal static class Proposals
{
    // How often a strategy that proposed a configuration already tried is asked again.
    private const int MaxReasks = 8;

    /// <summary>The next configuration, or <see langword="null"/> when the strategy (or the space) has nothing left.</summary>
    /// <param name="strategy">The strategy.</param>
    /// <param name="context">What the strategy sees (with any warm-start trials).</param>
    /// <param name="studyTrials">This study's finished trials: what must not be repeated, with <see cref="StrategyContext.Running"/>.</param>
    /// <param name="seed">The study's seed, for other random draws when the strategy is asked again.</param>
    /// <param name="logger">Where a replaced repetition is said.</param>
    public static IReadOnlyDictionary<HParam, object>? Next(SearchStrategy strategy, StrategyContext context, IReadOnlyList<FrozenTrial> studyTrials, int seed, ILogger logger)
    {
        IReadOnlyDictionary<HParam, object>? proposal = Checked(strategy, context.Space, strategy.Propose(context));

        // This study's trials only: a warm-start trial was another study's, and may be run here.
        StrategyContext own = context with { Trials = studyTrials };

        // A configuration already tried (or running) teaches nothing new, and a failed one would
        // fail again. Ask the strategy again with other random draws first (a genetic child, a
        // model's candidates), so the search keeps its character; then take any untried one.
        for (int attempt = 1; proposal is not null && own.IsTaken(proposal) && attempt <= MaxReasks; attempt++)
        {
            proposal = Checked(strategy, context.Space, strategy.Propose(context with { Random = TrialRandom.For(seed, context.TrialNumber, attempt) }));
        }

        if (proposal is null || !own.IsTaken(proposal))
        {
            return proposal;
        }

        IReadOnlyDictionary<HParam, object>? untried = UntriedConfigurations.Draw(own);
        StrategyLog.RepeatReplaced(logger, context.TrialNumber, strategy.GetType().Name, untried is not null);
        return untried;
    }

    // Inactive hparams are dropped, so that every strategy may propose a value for each hparam;
    // each active one must have a value inside its domain.
    private static Dictionary<HParam, object>? Checked(SearchStrategy strategy, IReadOnlyList<HParam> space, IReadOnlyDictionary<HParam, object>? proposal)
    {
        if (proposal is null)
        {
            return null;
        }

        var active = new Dictionary<HParam, object>(proposal.Count);
        var byName = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (HParam hparam in space)
        {
            if (!ConditionalSpace.IsActiveIn(hparam, byName))
            {
                continue;
            }

            if (!proposal.TryGetValue(hparam, out object? value))
            {
                throw new InvalidOperationException($"{strategy.GetType().Name} proposed no value for hparam '{hparam.Name}'.");
            }

            byName[hparam.Name] = hparam.Validate(value);
            active[hparam] = value;
        }

        return active;
    }
}
