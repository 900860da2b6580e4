using HParamsNet;
using HParamsNet.Sessions;
using HParamsNet.Tests.Common;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Tuning;

/// <summary>Conditional hparams: a trainer's own hparams exist only when it is chosen, in every strategy.</summary>
public class ConditionalSpaceTests
{
    private static readonly HParam Trainer = new("trainer", new Discrete("forest", "lightgbm", "sdca"));
    private static readonly HParam Leaves = new HParam("num_leaves", new IntInterval(4, 256) { Log = true }).When("trainer", "lightgbm");
    private static readonly HParam LearningRate = new HParam("learning_rate", new RealInterval(1e-3, 1) { Log = true }).When("trainer", "lightgbm");
    private static readonly HParam L2 = new HParam("l2", new RealInterval(1e-4, 10) { Log = true }).When("trainer", "sdca");
    private static readonly HParam Trees = new HParam("trees", new IntInterval(10, 200)).When("trainer", "forest");
    private static readonly HParam Limited = new HParam("limit_depth", new Discrete(false, true)).When("trainer", "forest");
    private static readonly HParam Depth = new HParam("max_depth", new IntInterval(2, 10)).When("limit_depth", true);
    private static readonly IReadOnlyList<HParam> Space = [Trainer, Leaves, LearningRate, L2, Trees, Limited, Depth];

    public static IEnumerable<TestCaseData> Strategies()
    {
        yield return new TestCaseData(new GridSearch(), 12).SetArgDisplayNames("grid");
        yield return new TestCaseData(new RandomSearch(), 30).SetArgDisplayNames("random");
        yield return new TestCaseData(new TpeSearch(new TpeOptions { StartupTrials = 5 }), 30).SetArgDisplayNames("tpe");
        yield return new TestCaseData(new TpeSearch(new TpeOptions { StartupTrials = 5, Multivariate = true }), 30).SetArgDisplayNames("tpe-multivariate");
        yield return new TestCaseData(new GpSearch(new GpOptions { StartupTrials = 5 }), 20).SetArgDisplayNames("gp");
        yield return new TestCaseData(new GeneticSearch(new GeneticOptions { PopulationSize = 6 }), 30).SetArgDisplayNames("genetic");
        yield return new TestCaseData(new AutoSearch(), 20).SetArgDisplayNames("auto");
    }

    [TestCaseSource(nameof(Strategies))]
    public async Task No_strategy_proposes_an_inactive_hparam_and_every_active_one_is_in_its_domain(SearchStrategy strategy, int trials)
    {
        using var dir = new TempDirectory();
        var seen = new List<string>();

        StudyResult result = await new Tuner(new TunerOptions
        {
            LogDir = dir.Path,
            Space = Space,
            Objective = new Objective(new Metric("loss"), StudyDirection.Minimize),
            Strategy = strategy,
            MaxTrials = trials,
            Seed = 3,
        }).RunAsync(trial =>
        {
            string trainer = trial.Get<string>("trainer");
            string[] expected = trainer switch
            {
                "lightgbm" => ["trainer", "num_leaves", "learning_rate"],
                "sdca" => ["trainer", "l2"],
                _ => trial.Get<bool>("limit_depth") ? ["trainer", "trees", "limit_depth", "max_depth"] : ["trainer", "trees", "limit_depth"],
            };
            Assert.That(trial.HParams.Keys.Select(h => h.Name), Is.EquivalentTo(expected), "exactly the active hparams");
            Assert.That(trial.HParams.All(p => p.Key.Domain.Contains(p.Value)), Is.True);
            seen.Add(trainer);
            return trainer switch
            {
                "lightgbm" => Math.Abs(Math.Log10(trial.Get<double>("learning_rate")) + 1) + (32.0 / trial.Get<int>("num_leaves")),
                "sdca" => 1 + Math.Abs(Math.Log10(trial.Get<double>("l2"))),
                _ => 2 - (trial.Get<int>("trees") / 200.0),
            };
        });

        Assert.That(result.Trials.Select(t => t.State), Has.All.EqualTo(TrialState.Complete), "no proposal was refused");
        Assert.That(seen.Distinct().Count(), Is.EqualTo(3), "every branch tried");
        Assert.That(result.Trials.Select(t => string.Join(",", t.HParams.OrderBy(p => p.Key).Select(p => $"{p.Key}={p.Value}"))), Is.Unique);
    }

    [Test]
    public async Task TensorBoard_sees_every_hparam_declared_and_each_session_with_its_branch_only()
    {
        using var dir = new TempDirectory();
        await new Tuner(new TunerOptions
        {
            LogDir = dir.Path,
            Space = Space,
            Objective = new Objective(new Metric("loss"), StudyDirection.Minimize),
            Strategy = new GridSearch(),
        }).RunAsync(trial => trial.Get<string>("trainer").Length);

        HParamsExperiment experiment = HParamsLogReader.ReadExperiment(dir.Path)!;
        IReadOnlyList<SessionRecord> sessions = HParamsLogReader.ReadSessions(dir.Path);

        Assert.That(experiment.HParams.Select(h => h.Name), Is.EqualTo(Space.Select(h => h.Name)), "the experiment declares every hparam");
        Assert.That(experiment["num_leaves"].Domain, Is.EqualTo(new RealInterval(4, 256)), "with its domain, as TensorBoard stores it");
        Assert.That(sessions, Has.Count.EqualTo(12));
        Assert.That(sessions.Where(s => (string)s.HParams["trainer"] == "sdca").Select(s => s.HParams.Keys.Order(StringComparer.Ordinal)), Has.All.EqualTo(new[] { "l2", "trainer" }));
        Assert.That(LogDirectoryValidator.Validate(dir.Path).Problems.Where(p => p.Severity == ValidationSeverity.Error), Is.Empty);
    }

    [Test]
    public void A_grid_enumerates_each_branch_once()
    {
        var grid = new GridSearch();

        var combinations = grid.Enumerate(Space).ToList();

        // lightgbm 2 x 2, sdca 2, forest 2 trees x (no depth limit + 2 depths) = 4 + 2 + 6.
        Assert.That(grid.Capacity(Space), Is.EqualTo(12));
        Assert.That(combinations, Has.Count.EqualTo(12));
        Assert.That(combinations.Select(c => string.Join(",", c.Select(p => $"{p.Key.Name}={p.Value}"))), Is.Unique);
        Assert.That(combinations.Where(c => c.ContainsKey(Depth)).Select(c => c[Limited]), Has.All.EqualTo(true));
    }

    [Test]
    public void A_condition_on_a_later_or_unknown_hparam_or_outside_its_domain_is_refused_by_name()
    {
        TunerOptions With(params HParam[] space) => new()
        {
            LogDir = Path.Combine(Path.GetTempPath(), "never-written"),
            Space = space,
            Objective = new Objective(new Metric("loss"), StudyDirection.Minimize),
            Strategy = new RandomSearch(),
            MaxTrials = 1,
        };

        Assert.That(() => new Tuner(With(Leaves, Trainer)), Throws.ArgumentException.With.Message.Contains("'trainer' comes after it in the space. Declare 'trainer' first."));
        Assert.That(() => new Tuner(With(Leaves)), Throws.ArgumentException.With.Message.Contains("the space has no hparam 'trainer'"));
        Assert.That(() => new Tuner(With(Trainer, Leaves.When("trainer", "xgboost"))), Throws.ArgumentException.With.Message.Contains("\"xgboost\" is not in the domain of 'trainer'"));
        Assert.That(Leaves.ToString(), Is.EqualTo("HParam 'num_leaves': IntInterval(4, 256, log) when trainer = \"lightgbm\""));
        HParam one = new HParam("x", new Discrete(1)).When("t", "a");
        HParam other = new HParam("x", new Discrete(1)).When("t", "a");
        Assert.That(one, Is.EqualTo(other), "conditions compare by value");
    }
}
