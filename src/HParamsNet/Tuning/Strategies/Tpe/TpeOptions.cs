namespace HParamsNet.Tuning.Strategies;

/// <summary>Options of <see cref="TpeSearch"/>; the defaults are Optuna's.</summary>
public sealed record TpeOptions
{
    /// <summary>Random trials before the model is used.</summary>
    /// <value>Default: 10.</value>
    public int StartupTrials { get; init; } = 10;

    /// <summary>Candidates drawn from the good trials' density per proposal; the one with the best density ratio wins.</summary>
    /// <value>Default: 24.</value>
    public int Candidates { get; init; } = 24;

    /// <summary>Weight of the prior kernel (the whole domain) in each density.</summary>
    /// <value>Default: 1.0.</value>
    public double PriorWeight { get; init; } = 1.0;

    /// <summary>
    /// Whether to model the hparams jointly (one kernel per trial over all hparams), so that
    /// dependent hparams (a learning rate that suits one optimizer) are learned together; otherwise
    /// each hparam has its own density, as Optuna's default.
    /// </summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool Multivariate { get; init; } = true;

    /// <summary>
    /// Whether configurations being tried by other workers count as bad results (Optuna's constant
    /// liar), so that parallel workers do not propose the same region.
    /// </summary>
    /// <value>Default: <see langword="true"/>.</value>
    public bool ConstantLiar { get; init; } = true;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(StartupTrials, 1, nameof(StartupTrials));
        ArgumentOutOfRangeException.ThrowIfLessThan(Candidates, 1, nameof(Candidates));
        if (!(PriorWeight > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(PriorWeight), PriorWeight, "PriorWeight must be positive.");
        }
    }
}
