namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// Independent uniform samples from each domain (scikit-learn's RandomizedSearchCV): log-scale
/// intervals are sampled uniformly in the logarithm. Reproducible: trial n's configuration depends
/// only on the study's seed and n, so a resumed study continues the same sequence. When every
/// domain is discrete, configurations are drawn without replacement, as scikit-learn does.
/// </summary>
public sealed class RandomSearch : SearchStrategy
{
    private const int MaxRedraws = 1000;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<HParam, object>? Propose(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        bool allDiscrete = context.Space.All(h => h.Domain is Discrete);
        for (int draw = 0; draw < MaxRedraws; draw++)
        {
            var candidate = ConditionalSpace.Active(context.Space, context.Space.ToDictionary(h => h, h => h.Domain.SampleUniform(context.Random)));
            if (!allDiscrete || !context.IsTaken(candidate))
            {
                return candidate;
            }
        }

        // Every (or nearly every) combination was tried: fall back to the first untried one, if any.
        return allDiscrete ? new GridSearch().Enumerate(context.Space).FirstOrDefault(c => !context.IsTaken(c)) : null;
    }

    /// <inheritdoc/>
    public override long? Capacity(IReadOnlyList<HParam> space)
    {
        ArgumentNullException.ThrowIfNull(space);
        return space.All(h => h.Domain is Discrete) ? new GridSearch().Capacity(space) : null;
    }
}
