using HParamsNet.Trials;

namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// A steady-state genetic algorithm: after a random first population, each proposal breeds a
/// child from two parents chosen by tournament among the best <see cref="GeneticOptions.PopulationSize"/>
/// finished trials: blend crossover (BLX-0.5) of numeric hparams in their own scale (logarithm for
/// log-scale domains), either parent's value for strings and bools, then mutation that respects
/// each domain (a Gaussian step, rounded for integers; a random category). The population is the
/// trials themselves, so resume and warm start rebuild it, and it is reproducible by seed. With
/// several objectives it is NSGA-II (Deb et al., 2002) in steady state: the population and the
/// tournaments follow non-dominated rank, then crowding distance; constraints by Deb's
/// constrained domination (feasible first, then the least violation).
/// </summary>
public sealed class GeneticSearch : SearchStrategy
{
    private const double BlendAlpha = 0.5;

    private readonly RandomSearch _startup = new();
    private SpaceEncoding? _encoding;

    /// <summary>Creates the strategy.</summary>
    /// <param name="options">Options; the defaults when <see langword="null"/>.</param>
    public GeneticSearch(GeneticOptions? options = null)
    {
        Options = options ?? new GeneticOptions();
        Options.Validate();
    }

    /// <summary>The options.</summary>
    public GeneticOptions Options { get; }

    /// <inheritdoc/>
    public override IReadOnlyDictionary<HParam, object>? Propose(StrategyContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        SpaceEncoding encoding = SpaceEncoding.Of(context.Space, ref _encoding);
        var scored = new List<(double[] Point, TrialRanking.Scored Trial)>();
        foreach (TrialRanking.Scored trial in TrialRanking.BestFirst(TrialRanking.Complete(context)))
        {
            if (encoding.Imputed(encoding.Encode(trial.Trial.HParams)) is double[] point)
            {
                scored.Add((point, trial));
            }
        }

        if (scored.Count < Options.PopulationSize)
        {
            return _startup.Propose(context);
        }

        // The population: the best trials in NSGA-II's order (one objective: by value); a parent
        // wins a tournament by its place in that order.
        var population = scored.Take(Options.PopulationSize).Select((s, rank) => (s.Point, Loss: (double)rank)).ToList();
        Random random = context.Random;
        double[] first = Tournament(population, random);
        double[] second = Tournament(population, random);
        SpaceEncoding.Dimension[] dimensions = encoding.Dimensions;
        double mutation = Options.MutationProbability ?? 1.0 / dimensions.Length;
        bool crossover = random.NextDouble() < Options.CrossoverProbability;
        var child = new double[dimensions.Length];
        for (int d = 0; d < dimensions.Length; d++)
        {
            SpaceEncoding.Dimension dimension = dimensions[d];
            double value = first[d];
            if (crossover)
            {
                value = dimension.IsCategorical
                    ? (random.Next(2) == 0 ? first[d] : second[d])
                    : Blend(first[d], second[d], random);
            }

            if (random.NextDouble() < mutation)
            {
                value = dimension.IsCategorical
                    ? random.Next(dimension.Categories)
                    : value + (Normal.Gaussian(random) * Options.MutationScale * (dimension.High - dimension.Low));
            }

            child[d] = dimension.IsCategorical ? value : Math.Clamp(value, dimension.Low, dimension.High);
        }

        return encoding.Decode(child);
    }

    private double[] Tournament(List<(double[] Point, double Loss)> population, Random random)
    {
        (double[] Point, double Loss) best = population[random.Next(population.Count)];
        for (int i = 1; i < Options.TournamentSize; i++)
        {
            (double[] Point, double Loss) rival = population[random.Next(population.Count)];
            if (rival.Loss < best.Loss)
            {
                best = rival;
            }
        }

        return best.Point;
    }

    private static double Blend(double a, double b, Random random)
    {
        double low = Math.Min(a, b);
        double span = Math.Abs(a - b);
        return low - (BlendAlpha * span) + (random.NextDouble() * span * (1 + (2 * BlendAlpha)));
    }
}
