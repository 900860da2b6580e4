using HParamsNet;
using HParamsNet.Sessions;
using HParamsNet.Storage;
using HParamsNet.Tests.Common;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Pruners;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Tuning;

/// <summary>Studies with several objectives and with constraints: the front, the best, and what TensorBoard and a resumed study see.</summary>
public class SeveralObjectivesTests
{
    private static readonly HParam X = new("x", new RealInterval(0, 1));
    private static readonly HParam Y = new("y", new RealInterval(0, 1));
    private static readonly Metric Error = new("error");
    private static readonly Metric Size = new("size");
    private static readonly Metric OverBudget = new("over_budget");
    private static readonly Objective[] Objectives = [new(Error, StudyDirection.Minimize), new(Size, StudyDirection.Minimize)];

    // A trade-off: error falls as x grows, size grows with it; y only adds error. Over budget when x > 0.8.
    private static TrialValues Evaluate(Trial trial)
    {
        double x = trial.Get<double>("x");
        double y = trial.Get<double>("y");
        return new TrialValues([1 - x + y, x], new Dictionary<Metric, double> { [OverBudget] = x - 0.8 });
    }

    private static StudyOptions StudyOptionsFor(IStudyStorage storage, string logDir) => new()
    {
        Storage = storage,
        Name = "tradeoff",
        Space = [X, Y],
        Objectives = Objectives,
        Constraints = [OverBudget],
        LogDir = logDir,
        Strategy = new TpeSearch(),
        MaxTrials = 40,
        Seed = 3,
    };

    private static IReadOnlyList<int> BruteForceFront(IEnumerable<FrozenTrial> trials)
    {
        var candidates = trials.Where(t => t.State == TrialState.Complete && t.Constraints.All(c => c <= 0)).ToList();
        return [.. candidates.Where(t => !candidates.Any(o => o.Values[0] <= t.Values[0] && o.Values[1] <= t.Values[1] && (o.Values[0] < t.Values[0] || o.Values[1] < t.Values[1]))).Select(t => t.Number).Order()];
    }

    [Test]
    public async Task Two_workers_on_one_sqlite_file_share_one_front_equal_to_the_front_of_all_trials()
    {
        using var dir = new TempDirectory();
        string db = dir.Combine("study.db");

        async Task<IReadOnlyList<FrozenTrial>> WorkAsync()
        {
            await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(db);
            await using Study study = await Study.CreateOrLoadAsync(StudyOptionsFor(storage, dir.Combine("logs")));
            while (await study.AskAsync() is Trial trial)
            {
                await study.TellAsync(trial, Evaluate(trial));
            }

            return await study.GetParetoFrontAsync();
        }

        IReadOnlyList<FrozenTrial>[] fronts = await Task.WhenAll(WorkAsync(), WorkAsync());

        await using SqliteStudyStorage reader = await SqliteStudyStorage.OpenAsync(db);
        IReadOnlyList<FrozenTrial> all = await reader.GetTrialsAsync("tradeoff");
        IReadOnlyList<int> expected = BruteForceFront(all);
        Assert.That(all.Count(t => t.State == TrialState.Complete), Is.EqualTo(40));
        Assert.That(all.Where(t => t.State == TrialState.Complete).Select(t => t.Values.Count), Has.All.EqualTo(2));
        Assert.That(expected, Has.Count.GreaterThan(1), "a front, not a single best");
        Assert.That(fronts[0].Select(t => t.Number), Is.EqualTo(expected));
        Assert.That(fronts[1].Select(t => t.Number), Is.EqualTo(expected));
        Assert.That((await reader.GetParetoFrontAsync("tradeoff")).Select(t => t.Number), Is.EqualTo(expected), "the storage's query, for a reader without the study's options");
        Assert.That(all.Where(t => t.Constraints.Single() > 0).Select(t => t.Number), Is.Not.Empty.And.No.AnyOf(expected.Cast<object>().ToArray()), "infeasible trials were tried and are off the front");

        // TensorBoard shows each objective and the constraint as a metric column of every session.
        var sessions = HParamsLogReader.ReadSessions(dir.Combine("logs"));
        FrozenTrial first = all[0];
        SessionRecord session = sessions.Single(s => s.Name == first.Name);
        Assert.That(session.Last("", "error")!.Value.Value, Is.EqualTo(first.Values[0]).Within(1e-6));
        Assert.That(session.Last("", "size")!.Value.Value, Is.EqualTo(first.Values[1]).Within(1e-6));
        Assert.That(session.Last("", "over_budget")!.Value.Value, Is.EqualTo(first.Constraints[0]).Within(1e-6));
        Assert.That(HParamsLogReader.ReadExperiments(dir.Combine("logs")).Single().Experiment.Metrics.Select(m => m.Tag), Is.EquivalentTo(new[] { "error", "size", "over_budget" }));
    }

    [Test]
    public async Task A_study_kept_in_its_log_directory_reads_every_value_back_when_it_resumes()
    {
        using var dir = new TempDirectory();
        TunerOptions Options(int trials) => new()
        {
            LogDir = dir.Path,
            Space = [X, Y],
            Objectives = Objectives,
            Constraints = [OverBudget],
            Strategy = new GeneticSearch(new GeneticOptions { PopulationSize = 8 }),
            MaxTrials = trials,
            Seed = 5,
        };

        StudyResult first = await new Tuner(Options(20)).RunAsync(Evaluate);
        StudyResult resumed = await new Tuner(Options(30)).RunAsync(Evaluate);

        Assert.That(resumed.Trials, Has.Count.EqualTo(30));
        for (int i = 0; i < 20; i++)
        {
            Assert.That(resumed.Trials[i].Values, Is.EqualTo(first.Trials[i].Values).Within(1e-6), $"trial {i + 1}'s objectives, read from its session");
            Assert.That(resumed.Trials[i].Constraints, Is.EqualTo(first.Trials[i].Constraints).Within(1e-6));
        }

        Assert.That(resumed.ParetoFront.Select(t => t.Number), Is.EqualTo(BruteForceFront(resumed.Trials)));
        Assert.That(resumed.BestTrial, Is.Null, "several objectives have a front, not a best");
        Assert.That(() => resumed.BestParams, Throws.InvalidOperationException.With.Message.Contains("2 objectives").And.Message.Contains("ParetoFront"));
        Assert.That(resumed.Configurations.Where(c => resumed.ParetoFront.Contains(c.Trial)).Select(c => c.Rank), Has.All.EqualTo(1));
    }

    [Test]
    public async Task A_constraint_keeps_an_infeasible_trial_from_ever_being_the_best()
    {
        using var dir = new TempDirectory();
        var options = new TunerOptions
        {
            LogDir = dir.Path,
            Space = [X],
            Objective = new Objective(Error, StudyDirection.Minimize),
            Constraints = [OverBudget],
            Strategy = new GridSearch(11),
            Seed = 1,
        };

        // The error is lowest at x = 1, but x above 0.5 is over budget.
        StudyResult result = await new Tuner(options).RunAsync(trial =>
            new TrialValues(1 - trial.Get<double>("x"), new Dictionary<Metric, double> { [OverBudget] = trial.Get<double>("x") - 0.5 }));

        Assert.That(result.Trials.Min(t => t.Value), Is.Zero, "the infeasible optimum was tried");
        Assert.That(result.BestTrial!.HParams["x"], Is.EqualTo(0.5).Within(1e-9));
        Assert.That(result.BestTrial.IsFeasible, Is.True);
        Assert.That(result.Configurations.Single(c => c.Trial.Value == 0).Rank, Is.EqualTo(7), "infeasible trials rank after every feasible one");
    }

    [Test]
    public async Task Wrong_values_pruners_and_folds_are_refused_in_words()
    {
        using var dir = new TempDirectory();
        await using var storage = new InMemoryStudyStorage();
        await using Study study = await Study.CreateOrLoadAsync(StudyOptionsFor(storage, dir.Path));
        Trial trial = (await study.AskAsync())!;

        Assert.That(
            async () => await study.TellAsync(trial, 0.5),
            Throws.ArgumentException.With.Message.Contains("has 2 objective(s) (error, size); trial 1 gave 1 value(s)"));
        Assert.That(
            async () => await study.TellAsync(trial, new TrialValues([0.5, 0.2])),
            Throws.ArgumentException.With.Message.Contains("has constraint 'over_budget'; trial 1 did not give its value"));
        Assert.That(async () => await study.GetBestTrialAsync(), Throws.InvalidOperationException.With.Message.Contains("GetParetoFrontAsync"));
        Assert.That(await study.TellAsync(trial, new TrialValues([double.NaN, 0.2], new Dictionary<Metric, double> { [OverBudget] = 0 })), Is.True);
        Assert.That((await study.GetTrialsAsync())[0].State, Is.EqualTo(TrialState.Failed), "a non-finite objective fails the trial");

        StudyOptions good = StudyOptionsFor(storage, dir.Path);
        Assert.That(
            async () => await Study.CreateOrLoadAsync(good with { Name = "p", Pruner = new MedianPruner() }),
            Throws.ArgumentException.With.Message.Contains("MedianPruner compares the intermediate values of one objective; a study with 2 objectives is not pruned"));
        Assert.That(
            async () => await Study.CreateOrLoadAsync(good with { Name = "cv", CrossValidation = new CrossValidationOptions(new KFold(3), 30) }),
            Throws.ArgumentException.With.Message.Contains("Cross-validation keeps one objective's value per fold"));
        Assert.That(
            async () => await Study.CreateOrLoadAsync(good with { Name = "none", Objectives = [] }),
            Throws.ArgumentException.With.Message.Contains("A study needs an objective"));
    }
}
