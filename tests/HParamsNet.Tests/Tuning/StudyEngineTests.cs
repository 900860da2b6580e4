using HParamsNet;
using HParamsNet.Sessions;
using HParamsNet.Storage;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Pruners;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Tuning;

/// <summary>The one trial lifecycle of <see cref="Study"/>, as the tuner and an ask-and-tell loop both use it.</summary>
public class StudyEngineTests
{
    private static readonly HParam Rate = new("rate", new RealInterval(1e-4, 1e-1) { Log = true });
    private static readonly HParam Units = new("units", new Discrete(8, 16, 32));
    private static readonly Metric Loss = new("loss");

    private static StudyOptions Options(IStudyStorage storage, string logDir) => new()
    {
        Storage = storage,
        Name = "engine",
        Space = [Units, Rate],
        Objective = new Objective(Loss, StudyDirection.Minimize),
        LogDir = logDir,
        Strategy = new RandomSearch(),
    };

    [Test]
    public async Task A_trial_asked_before_others_completed_is_pruned_against_them()
    {
        // Regression: each trial's pruner saw a copy of the finished trials taken when it was asked.
        // A trial asked before six others completed, reporting 100 against their 0.1, was not
        // pruned; one asked after them was.
        using var dir = new TempDirectory();
        await using var storage = new InMemoryStudyStorage();
        await using Study study = await Study.CreateOrLoadAsync(Options(storage, dir.Path) with { Pruner = new MedianPruner(startupTrials: 5) });
        Trial early = (await study.AskAsync())!;
        for (int i = 0; i < 6; i++)
        {
            Trial other = (await study.AskAsync())!;
            other.Report(0.1, 1);
            await study.TellAsync(other, 0.1);
        }

        Trial late = (await study.AskAsync())!;
        early.Report(100, 1);
        late.Report(100, 1);

        Assert.That(early.ShouldPrune, Is.True, "the trial asked first sees the six complete trials too");
        Assert.That(late.ShouldPrune, Is.True);
    }

    [Test]
    public async Task A_running_trials_curve_reaches_the_storage_and_the_other_workers_pruners_before_it_is_told()
    {
        using var dir = new TempDirectory();
        string db = dir.Combine("study.db");
        await using SqliteStudyStorage first = await SqliteStudyStorage.OpenAsync(db);
        await using SqliteStudyStorage second = await SqliteStudyStorage.OpenAsync(db);
        StudyOptions options = Options(first, dir.Combine("logs")) with { Pruner = new MedianPruner(startupTrials: 0), ReportInterval = TimeSpan.FromMilliseconds(20) };
        await using Study workerA = await Study.CreateOrLoadAsync(options);
        await using Study workerB = await Study.CreateOrLoadAsync(options with { Storage = second });

        // A's trial reports and keeps running; another of A's completes with 0.1 at step 1.
        Trial running = (await workerA.AskAsync())!;
        running.Report(0.5, 1);
        running.Report(0.4, 2);
        Trial complete = (await workerA.AskAsync())!;
        complete.Report(0.1, 1);
        await workerA.TellAsync(complete, 0.1);
        FrozenTrial? stored = null;
        for (int wait = 0; wait < 100 && stored?.IntermediateValues.Count != 2; wait++)
        {
            await Task.Delay(20);
            stored = (await second.GetTrialsAsync("engine")).Single(t => t.Number == running.Number);
        }

        // B's trial is judged against what the storage holds now, every worker's trials.
        Trial judged = (await workerB.AskAsync())!;
        await Task.Delay(200);
        judged.Report(0.3, 1);

        Assert.That(stored!.State, Is.EqualTo(TrialState.Running));
        Assert.That(stored.IntermediateValues, Is.EqualTo(new[] { KeyValuePair.Create(1L, 0.5), KeyValuePair.Create(2L, 0.4) }), "sent as reported, before the tell");
        Assert.That(judged.ShouldPrune, Is.True, "0.3 is worse than the median of A's trials at step 1 (0.1, 0.5)");
    }

    [Test]
    public async Task A_lost_cross_validated_trial_runs_again_with_its_finished_folds_carried_over()
    {
        using var dir = new TempDirectory();
        await using var storage = new InMemoryStudyStorage();
        var killed = new SeveredStorage(storage);
        TimeSpan heartbeat = TimeSpan.FromMilliseconds(100);
        StudyOptions options = Options(storage, dir.Path) with
        {
            Strategy = new GridSearch(),
            HeartbeatInterval = heartbeat,
            CrossValidation = new CrossValidationOptions(new KFold(3), 30),
        };
        IReadOnlyDictionary<string, object> configuration;
        await using (Study lost = await Study.CreateOrLoadAsync(options with { Storage = killed }))
        {
            Trial fold0 = (await lost.AskAsync())!;
            configuration = fold0.HParams.ToDictionary(p => p.Key.Name, p => p.Value);
            fold0.Report(0.9, 1);
            await lost.TellAsync(fold0, 0.5);
            Trial fold1 = (await lost.AskAsync())!;
            Assert.That((fold1.Number, fold1.Fold!.Index), Is.EqualTo((fold0.Number, 1)), "the next ask gives the trial's next fold");
            fold1.Report(0.8, 1);
            killed.Sever(); // killed in its second fold
        }

        await Task.Delay(3 * heartbeat);
        var ran = new List<int>();
        await using (Study survivor = await Study.CreateOrLoadAsync(options))
        {
            while (await survivor.AskAsync() is Trial trial && ran.Count < 2)
            {
                ran.Add(trial.Fold!.Index);
                Assert.That(trial.HParams.ToDictionary(p => p.Key.Name, p => p.Value), Is.EquivalentTo(configuration), "the lost configuration runs first");
                await survivor.TellAsync(trial, 0.5 + trial.Fold.Index);
            }
        }

        IReadOnlyList<FrozenTrial> trials = await storage.GetTrialsAsync("engine");
        IReadOnlyList<SessionRecord> sessions = HParamsLogReader.ReadSessions(dir.Path);
        Assert.That(ran, Is.EqualTo(new[] { 1, 2 }), "fold 0, which the lost trial finished, is not trained again");
        Assert.That((trials[0].State, trials[0].FoldValues), Is.EqualTo((TrialState.Failed, (IReadOnlyList<double>)[0.5])));
        Assert.That(trials[0].Error, Does.StartWith("worker lost"));
        Assert.That((trials[1].State, trials[1].Value, trials[1].FoldValues), Is.EqualTo((TrialState.Complete, 1.5, (IReadOnlyList<double>)[0.5, 1.5, 2.5])));
        Assert.That(trials[1].IntermediateValuesOf(0), Is.EqualTo(new[] { KeyValuePair.Create(1L, 0.9) }), "the carried fold keeps its curve");
        Assert.That(sessions.Where(s => s.Name.StartsWith("trial-0002/", StringComparison.Ordinal)).Select(s => (s.Name, s.Status, s.Texts.ContainsKey("tuner/carried_over"))), Is.EqualTo(new[]
        {
            ("trial-0002/fold-00", SessionStatus.Success, true), ("trial-0002/fold-01", SessionStatus.Success, false), ("trial-0002/fold-02", SessionStatus.Success, false),
        }));
        Assert.That(sessions.Where(s => s.Name.StartsWith("trial-0001/", StringComparison.Ordinal)).Select(s => (s.Name, s.Status)), Is.EqualTo(new[]
        {
            ("trial-0001/fold-00", SessionStatus.Success), ("trial-0001/fold-01", SessionStatus.Failure),
        }), "the lost attempt keeps its sessions, each with an end");
        Assert.That(sessions.Single(s => s.Name == "trial-0002/fold-00").Last("", "loss")!.Value.Value, Is.EqualTo(0.5), "the carried session is a copy of the fold's");
        Assert.That(LogDirectoryValidator.Validate(dir.Path).HasErrors, Is.False);
    }

    [Test]
    public async Task Enqueued_configurations_are_asked_first_once_each()
    {
        using var dir = new TempDirectory();
        await using var storage = new InMemoryStudyStorage();
        await using Study study = await Study.CreateOrLoadAsync(Options(storage, dir.Path));

        bool first = await study.EnqueueAsync(new Dictionary<string, object> { ["units"] = 32, ["rate"] = 0.01 });
        bool again = await study.EnqueueAsync(new Dictionary<string, object> { ["units"] = 32, ["rate"] = 0.01 });
        bool second = await study.EnqueueAsync(new Dictionary<string, object> { ["units"] = 8, ["rate"] = 0.001 });
        Assert.That(async () => await study.EnqueueAsync(new Dictionary<string, object> { ["units"] = 12, ["rate"] = 0.01 }), Throws.ArgumentException.With.Message.Contains("'units' = 12"));
        var asked = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            Trial trial = (await study.AskAsync())!;
            asked.Add($"{trial["units"]}/{trial["rate"]}");
            await study.TellAsync(trial, i);
        }

        bool afterRun = await study.EnqueueAsync(new Dictionary<string, object> { ["units"] = 32, ["rate"] = 0.01 });
        Assert.That((first, again, second, afterRun), Is.EqualTo((true, false, true, false)), "a configuration is queued once, and not after it ran");
        Assert.That(asked.Take(2), Is.EqualTo(new[] { "32/0.01", "8/0.001" }), "in the order queued, before any proposal");
    }

    [Test]
    public async Task User_attributes_reach_the_storage_and_tensorboard_and_come_back_when_a_log_directory_study_resumes()
    {
        using var dir = new TempDirectory();
        await using (var storage = new LogDirectoryStudyStorage(dir.Path))
        await using (Study study = await Study.CreateOrLoadAsync(Options(storage, dir.Path)))
        {
            Trial trial = (await study.AskAsync())!;
            trial.SetUserAttribute("device", "cpu");
            trial.SetUserAttribute("epochs_run", "7");
            Assert.That(() => trial.SetUserAttribute("", "x"), Throws.ArgumentException);
            await study.TellAsync(trial, 0.25);
            Assert.That((await study.GetTrialsAsync())[0].UserAttributes, Is.EquivalentTo(new Dictionary<string, string> { ["device"] = "cpu", ["epochs_run"] = "7" }));
        }

        await using var again = new LogDirectoryStudyStorage(dir.Path);
        await using Study resumed = await Study.CreateOrLoadAsync(Options(again, dir.Path));
        SessionRecord session = HParamsLogReader.ReadSessions(dir.Path).Single();
        Assert.That(session.Texts["tuner/user_attrs/device"], Is.EqualTo("cpu"), "TensorBoard's Text dashboard shows them");
        Assert.That((await resumed.GetTrialsAsync())[0].UserAttributes["epochs_run"], Is.EqualTo("7"), "read back from the log directory");
    }

    [Test]
    public async Task The_best_trial_is_the_complete_one_with_the_best_value_the_earlier_of_equals()
    {
        using var dir = new TempDirectory();
        await using var storage = new InMemoryStudyStorage();
        await using Study study = await Study.CreateOrLoadAsync(Options(storage, dir.Path));
        Assert.That(await study.GetBestTrialAsync(), Is.Null);

        foreach (double? value in new double?[] { 0.5, 0.2, null, 0.2, double.NaN })
        {
            Trial trial = (await study.AskAsync())!;
            _ = value is double v ? await study.TellAsync(trial, v) : await study.TellFailedAsync(trial, "diverged");
        }

        FrozenTrial best = (await study.GetBestTrialAsync())!;
        Assert.That((best.Number, best.Value), Is.EqualTo((2, 0.2)));
    }

    [Test]
    public async Task A_storage_error_at_tell_reaches_the_caller_as_that_error_and_the_trial_can_be_told_again()
    {
        using var dir = new TempDirectory();
        await using var storage = new InMemoryStudyStorage();
        var flaky = new SeveredStorage(storage);
        await using Study study = await Study.CreateOrLoadAsync(Options(flaky, dir.Path));
        Trial trial = (await study.AskAsync())!;

        flaky.Sever();
        var error = Assert.ThrowsAsync<IOException>(async () => await study.TellAsync(trial, 0.3))!;
        flaky.Heal();
        bool told = await study.TellAsync(trial, 0.3);

        Assert.That(error.Message, Does.Contain("severed"), "the storage's own error, not 'was not asked for'");
        Assert.That(told, Is.True);
        Assert.That((await storage.GetTrialsAsync("engine")).Single().Value, Is.EqualTo(0.3));
        Assert.That(HParamsLogReader.ReadSessions(dir.Path).Single().Status, Is.EqualTo(SessionStatus.Success));
    }

    [Test]
    public async Task The_study_records_its_direction_space_strategy_and_folds_where_readers_find_them()
    {
        using var dir = new TempDirectory();
        HParam leaves = new HParam("leaves", new IntInterval(4, 64) { Log = true }).When("units", 32);
        await using var storage = new InMemoryStudyStorage();
        await using Study study = await Study.CreateOrLoadAsync(Options(storage, dir.Path) with
        {
            Space = [Units, Rate, leaves],
            Strategy = new TpeSearch(),
            CrossValidation = new CrossValidationOptions(new KFold(4), 20),
        });

        StudyRecord record = HParamsLogReader.ReadStudyRecord(dir.Path)!;
        StudySummary summary = (await storage.GetStudiesAsync()).Single();
        Assert.That((record.Name, record.Objective.Direction, record.Strategy, record.Folds), Is.EqualTo(("engine", StudyDirection.Minimize, "TpeSearch", (int?)4)));
        Assert.That(record.Experiment.HParams, Is.EqualTo(new[] { Units, Rate, leaves }), "log scales, integer intervals and conditions, which TensorBoard's experiment does not keep");
        Assert.That((summary.Strategy, summary.Folds), Is.EqualTo(("TpeSearch", (int?)4)));
        Assert.That(StudyRecord.FromJson(record.ToJson()), Is.EqualTo(record).Using<StudyRecord>((a, b) => a.ToJson() == b.ToJson()));
    }

    [Test]
    public async Task Failing_heartbeats_are_logged_with_their_error_and_none_is_left_unobserved()
    {
        // Regression: the heartbeat timer fired HeartbeatAsync without awaiting it and caught two
        // exception types: 15 failing heartbeats gave no log line and 15 unobserved exceptions.
        using var dir = new TempDirectory();
        await using var storage = new InMemoryStudyStorage();
        var flaky = new SeveredStorage(storage);
        var logger = new RecordingLogger();
        int unobserved = 0;
        EventHandler<UnobservedTaskExceptionEventArgs> count = (_, _) => Interlocked.Increment(ref unobserved);
        TaskScheduler.UnobservedTaskException += count;
        try
        {
            await using (Study study = await Study.CreateOrLoadAsync(Options(flaky, dir.Path) with { HeartbeatInterval = TimeSpan.FromMilliseconds(60), Logger = logger }))
            {
                Trial trial = (await study.AskAsync())!;
                flaky.Sever();
                await Task.Delay(400);
                flaky.Heal();
                await study.TellAsync(trial, 0.5);
            }

            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }
        finally
        {
            TaskScheduler.UnobservedTaskException -= count;
        }

        var failed = logger.Entries.Where(e => e.Message.Contains("the heartbeat of trial 1 failed", StringComparison.Ordinal)).ToList();
        Assert.That(failed, Has.Count.GreaterThanOrEqualTo(2), "every failing heartbeat is said");
        Assert.That(failed.Select(e => e.Level), Has.All.EqualTo(Microsoft.Extensions.Logging.LogLevel.Warning));
        Assert.That(failed.Select(e => e.Message), Has.All.Contain("IOException: The worker is gone (severed by the test)."), "with the storage's error");
        Assert.That(unobserved, Is.Zero);
        Assert.That((await storage.GetTrialsAsync("engine")).Single().State, Is.EqualTo(TrialState.Complete), "the trial lived through the failures");
    }

    [TestCase("sqlite")]
    [TestCase("postgresql")]
    [Category(TestCategories.Integration)]
    public async Task Four_workers_reporting_and_pruning_with_short_heartbeats_lose_nothing_and_run_each_trial_once(string store)
    {
        // The issue's stress run in small: 4 workers (storage objects of their own), trials of 10
        // reports judged by a median pruner, heartbeats of 0.2 s. No trial may be taken for lost,
        // none may deadlock, every trial ends complete or pruned, exactly as many as MaxTrials.
        using var dir = new TempDirectory();
        string schema = TestPostgres.NewSchema();
        string url = store == "sqlite" ? $"sqlite://{dir.Combine("study.db")}" : $"{TestPostgres.Url}?schema={schema}";
        try
        {
            async Task<int> WorkAsync()
            {
                await using IStudyStorage storage = await StudyStorageUrl.Parse(url).OpenAsync();
                await using Study study = await Study.CreateOrLoadAsync(Options(storage, dir.Combine("logs")) with
                {
                    Pruner = new MedianPruner(startupTrials: 5),
                    HeartbeatInterval = TimeSpan.FromMilliseconds(200),
                    MaxTrials = 240,
                });
                int ran = 0;
                while (await study.AskAsync() is Trial trial)
                {
                    ran++;
                    double value = trial.Get<double>(Rate);
                    bool pruned = false;
                    for (int step = 1; step <= 10 && !pruned; step++)
                    {
                        trial.Report(value * (11 - step), step);
                        pruned = trial.ShouldPrune;
                    }

                    _ = pruned ? await study.TellPrunedAsync(trial) : await study.TellAsync(trial, value);
                }

                return ran;
            }

            int[] ran = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(WorkAsync)));

            await using IStudyStorage reader = await StudyStorageUrl.Parse(url).OpenAsync();
            IReadOnlyList<FrozenTrial> trials = await reader.GetTrialsAsync("engine");
            Assert.That(trials, Has.Count.EqualTo(240));
            Assert.That(ran.Sum(), Is.EqualTo(240), "each trial ran once");
            Assert.That(trials.Select(t => t.State), Has.All.AnyOf(TrialState.Complete, TrialState.Pruned), string.Join("; ", trials.Where(t => t.Error is not null).Select(t => t.Error).Distinct()));
            Assert.That(trials.Count(t => t.State == TrialState.Pruned), Is.Positive, "the pruner judged other workers' trials too");
            Assert.That(trials.Where(t => t.State == TrialState.Complete).Select(t => t.IntermediateValues.Count), Has.All.EqualTo(10));
        }
        finally
        {
            if (store == "postgresql")
            {
                await TestPostgres.DropAsync([schema]);
            }
        }
    }
}
