using HParamsNet;
using HParamsNet.Trials;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Tuning;

public class StrategyTests
{
    private static readonly HParam Units = new("units", new Discrete(16, 32, 64));
    private static readonly HParam Dropout = new("dropout", new RealInterval(0.1, 0.3));
    private static readonly HParam Optimizer = new("optimizer", new Discrete("adam", "sgd"));
    private static readonly Objective Accuracy = new(new Metric("accuracy"), StudyDirection.Maximize);

    private static StrategyContext Context(IReadOnlyList<HParam> space, int number, int seed = 0, IReadOnlyList<FrozenTrial>? trials = null) =>
        new(space, Accuracy, number, trials ?? [], [], TrialRandom.For(seed, number));

    [Test]
    public void Grid_enumerates_exactly_the_product_with_interval_endpoints()
    {
        var grid = new GridSearch();

        var combinations = grid.Enumerate([Units, Dropout, Optimizer]).Select(c => $"{c[Units]}/{c[Dropout]}/{c[Optimizer]}").ToList();

        Assert.That(combinations, Has.Count.EqualTo(12));
        Assert.That(combinations, Is.Unique);
        Assert.That(combinations.Take(3), Is.EqualTo(new[] { "16/0.1/adam", "16/0.1/sgd", "16/0.3/adam" }), "the last hparam changes fastest");
        Assert.That(grid.Capacity([Units, Dropout, Optimizer]), Is.EqualTo(12));
    }

    [Test]
    public void Grid_points_of_intervals_linear_log_and_integer()
    {
        var grid = new GridSearch(pointsPerInterval: 3);

        Assert.That(grid.Points(new RealInterval(0, 1)), Is.EqualTo(new object[] { 0.0, 0.5, 1.0 }));
        Assert.That(grid.Points(new RealInterval(1e-4, 1e-2) { Log = true }).Cast<double>(), Is.EqualTo(new[] { 1e-4, 1e-3, 1e-2 }).Within(1e-12));
        Assert.That(grid.Points(new IntInterval(1, 4)), Is.EqualTo(new object[] { 1L, 3L, 4L }).Or.EqualTo(new object[] { 1L, 2L, 4L }));
        Assert.That(new GridSearch(1).Points(new RealInterval(2, 4)), Is.EqualTo(new object[] { 3.0 }));
    }

    [Test]
    public void Random_is_reproducible_by_seed_and_trial_number()
    {
        var random = new RandomSearch();
        var space = new[] { Units, Dropout, Optimizer };

        string Draw(int seed, int number) => string.Join(",", random.Propose(Context(space, number, seed))!.Values);

        var first = Enumerable.Range(1, 20).Select(n => Draw(7, n)).ToList();
        var again = Enumerable.Range(1, 20).Select(n => Draw(7, n)).ToList();
        var otherSeed = Enumerable.Range(1, 20).Select(n => Draw(8, n)).ToList();

        Assert.That(again, Is.EqualTo(first));
        Assert.That(otherSeed, Is.Not.EqualTo(first));
    }

    [Test]
    public void Trial_random_sources_are_the_same_in_every_process()
    {
        // Fixed values: a resumed study in another process must draw exactly these.
        Assert.That(Enumerable.Range(1, 5).Select(n => TrialRandom.For(7, n).Next(1000)), Is.EqualTo(ExpectedDraws));
    }

    private static readonly int[] ExpectedDraws = [256, 141, 741, 433, 963];

    [Test]
    public void Random_samples_log_scale_intervals_uniformly_in_the_logarithm()
    {
        var lr = new HParam("lr", new RealInterval(1e-5, 1e-1) { Log = true });
        var samples = Enumerable.Range(1, 4000).Select(n => (double)new RandomSearch().Propose(Context([lr], n))![lr]).ToList();

        Assert.That(samples, Has.All.InRange(1e-5, 1e-1));
        // Each decade holds about a quarter of the samples (binomial sd = 27; 6 sd margin).
        foreach (int decade in new[] { -5, -4, -3, -2 })
        {
            int count = samples.Count(s => s >= Math.Pow(10, decade) && s < Math.Pow(10, decade + 1));
            Assert.That(count, Is.InRange(1000 - 165, 1000 + 165), $"decade 1e{decade}");
        }
    }

    [Test]
    public void Random_over_discrete_domains_draws_without_replacement_until_exhausted()
    {
        var trials = new List<FrozenTrial>();
        var strategy = new RandomSearch();
        for (int n = 1; n <= 6; n++)
        {
            var proposal = strategy.Propose(Context([Units, Optimizer], n, trials: trials))!;
            trials.Add(Frozen(n, proposal));
        }

        Assert.That(trials.Select(t => $"{t.HParams["units"]}/{t.HParams["optimizer"]}"), Is.Unique);
        Assert.That(strategy.Propose(Context([Units, Optimizer], 7, trials: trials)), Is.Null);
    }

    [Test]
    public void Log_scale_needs_a_positive_minimum()
    {
        var error = Assert.Throws<ArgumentException>(() => _ = new RealInterval(0, 1) { Log = true })!;

        Assert.That(error.Message, Does.Contain("log-scale").And.Contain("above zero"));
    }

    internal static FrozenTrial Frozen(int number, IReadOnlyDictionary<HParam, object> hparams, double value = 0.5) =>
        new(number, $"trial-{number:D4}", hparams.ToDictionary(p => p.Key.Name, p => p.Key.Validate(p.Value)), TrialState.Complete, value, [], [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null);
}
