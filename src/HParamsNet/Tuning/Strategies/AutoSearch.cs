namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// The tuner's default: a Gaussian process (<see cref="GpSearch"/>) while a study is small, where
/// it finds far better configurations than TPE, and TPE (<see cref="TpeSearch"/>) once the study
/// has more than <see cref="GpTrialLimit"/> finished trials, where the GP's cubic cost would be
/// felt and TPE's model has data enough. The sampler suite in docs/benchmarks.md decided this: at
/// 50 and 100 trials the GP's median regret is lower than TPE's on every objective.
/// </summary>
public sealed class AutoSearch : SearchStrategy
{
    /// <summary>Finished trials up to which the GP proposes.</summary>
    public const int GpTrialLimit = 200;

    private readonly GpSearch _gp = new();
    private readonly TpeSearch _tpe = new();

    /// <summary>The strategy that proposes for a study with <paramref name="finishedTrials"/> finished trials.</summary>
    public SearchStrategy StrategyFor(int finishedTrials) => finishedTrials <= GpTrialLimit ? _gp : _tpe;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<HParam, object>? Propose(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return StrategyFor(context.Trials.Count).Propose(context);
    }
}
