using HParamsNet;
using HParamsNet.Tests.Common;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Tuning;

/// <summary>
/// What every strategy promises: a proposal is a function of the seed and the trials (no hidden
/// state), and the tuner never runs a configuration twice while the space has others left.
/// </summary>
public class StrategyContractTests
{
    private static readonly HParam X = new("x", new RealInterval(-5, 10));
    private static readonly HParam Y = new("y", new RealInterval(0, 15));
    private static readonly HParam Units = new("units", new Discrete(16, 32, 64));
    private static readonly HParam Optimizer = new("optimizer", new Discrete("adam", "sgd"));
    private static readonly Objective Minimize = new(new Metric("loss"), StudyDirection.Minimize);

    public static IEnumerable<TestCaseData> Strategies()
    {
        yield return new TestCaseData((Func<SearchStrategy>)(() => new RandomSearch())).SetArgDisplayNames("random");
        yield return new TestCaseData((Func<SearchStrategy>)(() => new GridSearch(3))).SetArgDisplayNames("grid");
        yield return new TestCaseData((Func<SearchStrategy>)(() => new TpeSearch())).SetArgDisplayNames("tpe");
        yield return new TestCaseData((Func<SearchStrategy>)(() => new GeneticSearch())).SetArgDisplayNames("genetic");
        yield return new TestCaseData((Func<SearchStrategy>)(() => new GpSearch())).SetArgDisplayNames("gp");
        // A short kernel fit: where it starts decides where it ends, so hidden warm starts would show.
        yield return new TestCaseData((Func<SearchStrategy>)(() => new GpSearch(new GpOptions { MaxLikelihoodIterations = 2 }))).SetArgDisplayNames("gp-short-fit");
        yield return new TestCaseData((Func<SearchStrategy>)(() => new AutoSearch())).SetArgDisplayNames("auto");
    }

    [TestCaseSource(nameof(Strategies))]
    public void A_reused_instance_proposes_what_a_fresh_one_does(Func<SearchStrategy> create)
    {
        IReadOnlyList<HParam> space = [X, Y, Optimizer];
        var random = new Random(3);
        var trials = Enumerable.Range(1, 30).Select(n => StrategyTests.Frozen(n, space.ToDictionary(h => h, h => h.Domain.SampleUniform(random)), random.NextDouble())).ToList();
        StrategyContext At(int count) => new(space, Minimize, count + 1, trials.Take(count).ToList(), [], TrialRandom.For(11, count + 1));

        // What a reused instance has seen: another study on the same space, whose values are reversed.
        var other = trials.Select(t => t with { Value = -t.Value * 1000 }).ToList();
        SearchStrategy reused = create();
        for (int count = 12; count <= 30; count += 3)
        {
            reused.Propose(new StrategyContext(space, Minimize, count + 1, other.Take(count).ToList(), [], TrialRandom.For(5, count + 1)));
        }

        var fromReused = reused.Propose(At(30));
        var fromFresh = create().Propose(At(30));

        Assert.That(Describe(fromReused), Is.EqualTo(Describe(fromFresh)));
    }

    [TestCaseSource(nameof(Strategies))]
    public async Task The_tuner_never_repeats_a_configuration_while_others_are_left(Func<SearchStrategy> create)
    {
        using var dir = new TempDirectory();
        var options = new TunerOptions
        {
            LogDir = dir.Path,
            Space = [Units, Optimizer],
            Objective = Minimize,
            Strategy = create(),
            MaxTrials = 10,
        };

        // A flat objective gives a model no reason to move away from what it proposed before.
        StudyResult result = await new Tuner(options).RunAsync(_ => 1.0);

        Assert.That(result.Trials, Has.Count.EqualTo(6), "the six configurations, then nothing is left");
        Assert.That(result.Trials.Select(t => $"{t.HParams["units"]}/{t.HParams["optimizer"]}"), Is.Unique);
    }

    [Test]
    public async Task A_failing_configuration_does_not_attract_the_default_strategy()
    {
        using var dir = new TempDirectory();
        var units = new HParam("units", new Discrete(16, 32, 64));
        var lr = new HParam("lr", new RealInterval(1e-4, 1e-1) { Log = true });
        var options = new TunerOptions
        {
            LogDir = dir.Path,
            Space = [units, Optimizer, lr],
            Objective = new Objective(new Metric("accuracy"), StudyDirection.Maximize),
            MaxTrials = 14,
        };

        StudyResult result = await new Tuner(options).RunAsync(trial =>
            trial.Get<int>("units") == 64 && trial.Get<string>("optimizer") == "sgd"
                ? throw new InvalidOperationException("diverged")
                : 0.5 + (trial.Get<int>("units") / 1000.0));

        var keys = result.Trials.Select(t => string.Join("/", t.HParams.OrderBy(p => p.Key).Select(p => p.Value))).ToList();
        Assert.That(keys, Is.Unique, "no configuration twice");
        Assert.That(result.Trials.Count(t => t.State == TrialState.Failed), Is.LessThanOrEqualTo(4), "the failing corner is not proposed again and again");
    }

    [Test]
    public async Task A_strategy_that_repeats_itself_is_given_untried_configurations()
    {
        using var dir = new TempDirectory();
        var options = new TunerOptions
        {
            LogDir = dir.Path,
            Space = [Units, Optimizer],
            Objective = Minimize,
            Strategy = new Stubborn(),
            MaxTrials = 20,
        };

        StudyResult result = await new Tuner(options).RunAsync(_ => 1.0);

        Assert.That(result.Trials, Has.Count.EqualTo(6));
        Assert.That(result.Trials.Select(t => $"{t.HParams["units"]}/{t.HParams["optimizer"]}"), Is.Unique);
        Assert.That(result.Trials[0].HParams["units"], Is.EqualTo(16L), "its first proposal is used");
    }

    private static string Describe(IReadOnlyDictionary<HParam, object>? proposal) =>
        proposal is null ? "none" : string.Join(", ", proposal.OrderBy(p => p.Key.Name).Select(p => $"{p.Key.Name}={p.Value}"));

    // Always proposes the same configuration.
    private sealed class Stubborn : SearchStrategy
    {
        public override IReadOnlyDictionary<HParam, object>? Propose(StrategyContext context) =>
            new Dictionary<HParam, object> { [Units] = 16L, [Optimizer] = "adam" };
    }
}
