using HParamsNet;
using HParamsNet.Trials;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Tuning;

/// <summary>What every model-based strategy must do (run for TPE, both forms, and the genetic one).</summary>
[TestFixtureSource(nameof(Strategies))]
public class ModelBasedStrategyTests(string name)
{
    public static readonly string[] Strategies = ["tpe", "tpe-independent", "genetic", "gp"];

    private static readonly HParam[] Space =
    [
        new("lr", new RealInterval(1e-4, 1) { Log = true }),
        new("units", new Discrete(16, 32, 64, 128)),
        new("layers", new IntInterval(1, 4)),
        new("depth", new IntInterval(1, 1000) { Log = true }),
        new("optimizer", new Discrete("adam", "sgd", "rmsprop")),
        new("batch_norm", new Discrete(false, true)),
        new("dropout", new RealInterval(0, 0.5)),
    ];

    private SearchStrategy Create() => name switch
    {
        "tpe" => new TpeSearch(),
        "tpe-independent" => new TpeSearch(new TpeOptions { Multivariate = false }),
        "gp" => new GpSearch(new GpOptions { Candidates = 128, MaxLikelihoodIterations = 15 }),
        _ => new GeneticSearch(new GeneticOptions { PopulationSize = 10 }),
    };

    // A loop without the tuner's I/O: propose, score, record.
    private static List<FrozenTrial> Run(SearchStrategy strategy, IReadOnlyList<HParam> space, Func<IReadOnlyDictionary<HParam, object>, double> objective, int trials, int seed)
    {
        var history = new List<FrozenTrial>();
        var minimize = new Objective(new Metric("loss"), StudyDirection.Minimize);
        for (int n = 1; n <= trials; n++)
        {
            var proposal = strategy.Propose(new StrategyContext(space, minimize, n, history, [], TrialRandom.For(seed, n)))!;
            history.Add(new FrozenTrial(n, $"trial-{n:D4}", proposal.ToDictionary(p => p.Key.Name, p => p.Key.Validate(p.Value)), TrialState.Complete, objective(proposal), [], [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null));
        }

        return history;
    }

    private static double Noisy(IReadOnlyDictionary<HParam, object> c) =>
        Math.Abs(Math.Log10(HParamValues.ToDouble(c[Space[0]])) + 2) + (c[Space[4]] is "sgd" ? 0.5 : 0) + HParamValues.ToDouble(c[Space[6]]);

    [Test]
    public void Proposals_stay_inside_every_domain_type()
    {
        foreach (FrozenTrial trial in Run(Create(), Space, Noisy, 60, seed: 1))
        {
            foreach (HParam hparam in Space)
            {
                Assert.That(hparam.Domain.Contains(trial.HParams[hparam.Name]), Is.True, $"{hparam} got {trial.HParams[hparam.Name]}");
            }
        }
    }

    [Test]
    public void Same_seed_same_proposals()
    {
        var first = Run(Create(), Space, Noisy, 40, seed: 3).Select(t => string.Join(",", t.HParams.Values));
        var again = Run(Create(), Space, Noisy, 40, seed: 3).Select(t => string.Join(",", t.HParams.Values));

        Assert.That(again, Is.EqualTo(first));
    }

    [Test]
    public void Parallel_proposals_are_distinct()
    {
        // Four workers ask at once: each sees the others' configurations as running.
        HParam[] bowl = [new("a", new RealInterval(-5, 5)), new("b", new RealInterval(-5, 5))];
        var minimize = new Objective(new Metric("loss"), StudyDirection.Minimize);
        SearchStrategy strategy = Create();
        List<FrozenTrial> history = Run(strategy, bowl, c => bowl.Sum(h => Math.Pow(HParamValues.ToDouble(c[h]) - 1, 2)), 25, seed: 2);
        var running = new List<IReadOnlyDictionary<string, object>>();
        for (int worker = 0; worker < 4; worker++)
        {
            var proposal = strategy.Propose(new StrategyContext(bowl, minimize, 26 + worker, history, running, TrialRandom.For(2, 26 + worker)))!;
            running.Add(proposal.ToDictionary(p => p.Key.Name, p => p.Key.Validate(p.Value)));
        }

        Assert.That(running.Select(r => $"{r["a"]}/{r["b"]}"), Is.Unique);
    }

    [Test]
    public void Converges_faster_than_random_on_a_convex_function()
    {
        // A 3-d bowl; 16 seeds x 60 trials each. The strategy must win on at least 13 of 16 seeds:
        // were it no better than random (a fair coin per seed), that happens with probability 0.011.
        HParam[] bowl = [new("a", new RealInterval(-5, 5)), new("b", new RealInterval(-5, 5)), new("c", new RealInterval(-5, 5))];
        double Sphere(IReadOnlyDictionary<HParam, object> c) => bowl.Sum(h => Math.Pow(HParamValues.ToDouble(c[h]) - 1, 2));

        int wins = 0;
        for (int seed = 0; seed < 16; seed++)
        {
            double model = Run(Create(), bowl, Sphere, 60, seed).Min(t => t.Value);
            double random = Run(new RandomSearch(), bowl, Sphere, 60, seed + 1000).Min(t => t.Value);
            wins += model < random ? 1 : 0;
        }

        Assert.That(wins, Is.GreaterThanOrEqualTo(13));
    }
}
