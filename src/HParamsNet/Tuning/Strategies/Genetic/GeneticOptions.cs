namespace HParamsNet.Tuning.Strategies;

/// <summary>Options of <see cref="GeneticSearch"/>.</summary>
public sealed record GeneticOptions
{
    /// <summary>Individuals kept: the best this many finished trials; also the random start.</summary>
    /// <value>Default: 20.</value>
    public int PopulationSize { get; init; } = 20;

    /// <summary>Trials a parent is chosen from (the best of them wins).</summary>
    /// <value>Default: 2.</value>
    public int TournamentSize { get; init; } = 2;

    /// <summary>Chance that a child mixes two parents rather than copying one.</summary>
    /// <value>Default: 0.9.</value>
    public double CrossoverProbability { get; init; } = 0.9;

    /// <summary>Chance that each hparam mutates; <see langword="null"/> means 1 / (number of hparams).</summary>
    public double? MutationProbability { get; init; }

    /// <summary>Standard deviation of a numeric mutation, as a share of the domain's width.</summary>
    /// <value>Default: 0.1.</value>
    public double MutationScale { get; init; } = 0.1;

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(PopulationSize, 2, nameof(PopulationSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(TournamentSize, 1, nameof(TournamentSize));
        if (CrossoverProbability is < 0 or > 1 || MutationProbability is < 0 or > 1 || !(MutationScale > 0))
        {
            throw new ArgumentOutOfRangeException(nameof(CrossoverProbability), "Probabilities must be in [0, 1] and the mutation scale positive.");
        }
    }
}
