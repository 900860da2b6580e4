namespace HParamsNet.Tuning.Strategies;

/// <summary>Options of <see cref="GpSearch"/>.</summary>
public sealed record GpOptions
{
    /// <summary>Quasi-random trials before the model is used; <see langword="null"/> means twice the number of hparams, between 5 and 20.</summary>
    public int? StartupTrials { get; init; }

    /// <summary>Quasi-random candidates scored per proposal, before local refinement.</summary>
    /// <value>Default: 384.</value>
    public int Candidates { get; init; } = 384;

    /// <summary>L-BFGS iterations per start when fitting the kernel hyperparameters.</summary>
    /// <value>Default: 20.</value>
    public int MaxLikelihoodIterations { get; init; } = 20;

    /// <summary>
    /// How much the completed trials grow between two fits of the kernel hyperparameters (the
    /// costly part of a proposal): 0.1 fits at 1, 2, ..., 20, 22, 24, ..., 30, 33, 36, ..., 94, 103,
    /// ... completed trials (about 35 fits in a 100-trial study) and in between conditions the model
    /// with the last fit on every trial; 0 refits at every proposal.
    /// </summary>
    /// <value>Default: 0.1.</value>
    public double RefitGrowth { get; init; } = 0.1;

    /// <summary>Trials the model is fitted on at most (its cost grows as the cube of this).</summary>
    /// <value>Default: 200.</value>
    public int MaxTrainingPoints { get; init; } = 200;

    internal void Validate()
    {
        if (StartupTrials is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(StartupTrials), StartupTrials, "StartupTrials must be at least 1.");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Candidates, 1, nameof(Candidates));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLikelihoodIterations, 1, nameof(MaxLikelihoodIterations));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTrainingPoints, 10, nameof(MaxTrainingPoints));
        if (!(RefitGrowth >= 0 && RefitGrowth <= 10))
        {
            throw new ArgumentOutOfRangeException(nameof(RefitGrowth), RefitGrowth, "RefitGrowth must be between 0 (refit at every proposal) and 10.");
        }
    }
}
