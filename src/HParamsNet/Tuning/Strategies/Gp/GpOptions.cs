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
    }
}
