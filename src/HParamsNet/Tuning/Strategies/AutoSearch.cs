namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// The tuner's default: a Gaussian process (<see cref="GpSearch"/>), which finds far better
/// configurations than TPE on every objective of the sampler suite at 50, 100, 150 and 300 trials,
/// and TPE (<see cref="TpeSearch"/>) once the study has more than <see cref="GpTrialLimit"/>
/// finished trials. The limit is where measurement stops, not where the GP was seen to lose: one
/// GP proposal costs about 30 ms from 200 to 1,000 finished trials (it models 200 of them and fits
/// its kernel on 100), and no suite was run past 1,000 trials (docs/benchmarks.md, "The tuner's own cost").
/// The same rule holds for several objectives: both strategies handle them (a model per objective
/// and hypervolume improvement; multi-objective TPE), and on the multi-objective suite the GP's
/// hypervolume regret at 100 trials is the lowest of these strategies on all four problems (docs/benchmarks.md).
/// </summary>
public sealed class AutoSearch : SearchStrategy
{
    /// <summary>Finished trials up to which the GP proposes.</summary>
    public const int GpTrialLimit = 1000;

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
