using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.Storage;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Tuning;

/// <summary>The tuner on a shared storage: several tuners (workers) on one study, and what it refuses.</summary>
public class SharedTunerTests
{
    private static readonly HParam Rate = new("rate", new RealInterval(1e-4, 1e-1) { Log = true });
    private static readonly HParam Units = new("units", new Discrete(8, 16, 32));
    private static readonly Metric Accuracy = new("accuracy");
    private static readonly Metric Loss = new("loss");

    private static TunerOptions Options(IStudyStorage storage, string logDir) => new()
    {
        LogDir = logDir,
        Storage = storage,
        StudyName = "shared",
        Space = [Rate, Units],
        Objective = new Objective(Accuracy, StudyDirection.Maximize),
        Metrics = [Loss],
        Strategy = new RandomSearch(),
        MaxTrials = 12,
        Parallelism = 2,
    };

    [Test]
    public async Task Two_tuners_on_one_storage_share_the_study_and_its_log_directory()
    {
        using var dir = new TempDirectory();
        await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(dir.Combine("study.db"));
        int calls = 0;
        Func<Trial, TrialValues> objective = trial =>
        {
            Interlocked.Increment(ref calls);
            return new TrialValues(1 - trial.Get<double>(Rate), new Dictionary<Metric, double> { [Loss] = trial.Get<double>(Rate) });
        };

        StudyResult[] results = await Task.WhenAll(
            new Tuner(Options(storage, dir.Combine("logs"))).RunAsync(objective),
            new Tuner(Options(storage, dir.Combine("logs"))).RunAsync(objective));

        IReadOnlyList<FrozenTrial> trials = await storage.GetTrialsAsync("shared");
        Assert.That(trials.Count, Is.InRange(12, 15), "12, or a few more when workers ask at the same moment (as Optuna's MaxTrialsCallback)");
        Assert.That(calls, Is.EqualTo(trials.Count), "every trial ran once, in one of the tuners");
        Assert.That(trials.Select(t => t.Number), Is.EqualTo(Enumerable.Range(1, trials.Count)));
        Assert.That(trials.Select(t => HParamsJson.Write(t.HParams)).Distinct().Count(), Is.EqualTo(trials.Count), "no configuration twice");
        Assert.That(results.Max(r => r.Trials.Count), Is.EqualTo(trials.Count), "the tuner that ends last sees the whole study, every worker's trials");
        Assert.That(results.Select(r => r.Trials.Count(t => t.State == TrialState.Complete)), Is.All.GreaterThanOrEqualTo(12 - 3), "one that ends first sees all but the trials still running");
        Assert.That(results.MaxBy(r => r.Trials.Count)!.BestScore, Is.EqualTo(trials.Max(t => t.Value)));
        IReadOnlyList<SessionRecord> sessions = HParamsLogReader.ReadSessions(dir.Combine("logs"));
        Assert.That(sessions.Select(s => s.Name).Order(), Is.EqualTo(trials.Select(t => t.Name)));
        Assert.That(sessions.All(s => s.Status == SessionStatus.Success && s.Last("", "loss") is not null), Is.True, "other metrics are written too");
    }

    [Test]
    public async Task The_clock_of_the_options_times_the_trials()
    {
        using var dir = new TempDirectory();
        await using var storage = new InMemoryStudyStorage();
        var clock = new ManualClock(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

        StudyResult result = await new Tuner(Options(storage, dir.Path) with { TimeProvider = clock, Parallelism = 1, MaxTrials = 2 }).RunAsync(_ => 0.5);

        Assert.That(result.Trials, Has.Count.EqualTo(2));
        Assert.That(HParamsLogReader.ReadSessions(dir.Path).Select(s => s.StartTime), Is.All.EqualTo(clock.Now.ToUnixTimeSeconds()), "the event files read the tuner's clock");
    }

    [Test]
    public void What_cannot_work_on_a_shared_storage_and_two_clocks_are_refused_with_the_way_out()
    {
        var storage = new InMemoryStudyStorage();

        var noName = Assert.Throws<ArgumentException>(() => _ = new Tuner(Options(storage, "logs") with { StudyName = null }))!;
        var clocks = Assert.Throws<ArgumentException>(() => _ = new Tuner(Options(storage, "logs") with
        {
            TimeProvider = new ManualClock(DateTimeOffset.UnixEpoch),
            WriterOptions = new EventFileWriterOptions { TimeProvider = new ManualClock(DateTimeOffset.UnixEpoch) },
        }))!;

        Assert.That(noName.Message, Does.StartWith("A shared Storage needs the StudyName every worker joins."));
        Assert.That(clocks.Message, Does.StartWith("TimeProvider and WriterOptions.TimeProvider are two different clocks"));
    }

    [Test]
    public async Task Cross_validated_tuners_on_one_sqlite_file_share_the_study_fold_by_fold()
    {
        using var dir = new TempDirectory();
        await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(dir.Combine("study.db"));
        TunerOptions options = Options(storage, dir.Combine("logs")) with
        {
            Space = [Units],
            Strategy = new GridSearch(),
            MaxTrials = null,
            CrossValidation = new CrossValidationOptions(new KFold(3), 9),
            WarmStartLogDirs = [],
        };
        var folds = new System.Collections.Concurrent.ConcurrentBag<(int Trial, int Fold)>();
        Func<Trial, TrialValues> objective = trial =>
        {
            folds.Add((trial.Number, trial.Fold!.Index));
            return trial.Get<int>(Units) + (0.1 * trial.Fold.Index);
        };

        await Task.WhenAll(new Tuner(options).RunAsync(objective), new Tuner(options).RunAsync(objective));

        IReadOnlyList<FrozenTrial> trials = await storage.GetTrialsAsync("shared");
        Assert.That(trials.Select(t => (t.State, t.HParams["units"])), Is.EquivalentTo(new[] { (TrialState.Complete, (object)8L), (TrialState.Complete, 16L), (TrialState.Complete, 32L) }));
        Assert.That(trials.Select(t => t.FoldValues), Has.All.Count.EqualTo(3));
        Assert.That(trials.Select(t => t.Value).Order(), Is.EqualTo(new[] { 8.1, 16.1, 32.1 }).Within(1e-9));
        Assert.That(folds.Order(), Is.EqualTo(trials.SelectMany(t => new[] { (t.Number, 0), (t.Number, 1), (t.Number, 2) }).Order()), "every fold ran once");
        IReadOnlyList<SessionRecord> sessions = HParamsLogReader.ReadSessions(dir.Combine("logs"));
        Assert.That(sessions.GroupBy(s => s.GroupName).Select(g => (g.Count(), g.All(s => s.Status == SessionStatus.Success))), Has.All.EqualTo((3, true)));
        Assert.That((await storage.GetStudiesAsync()).Single().Folds, Is.EqualTo(3), "the folds are part of the recorded definition");
    }
}
