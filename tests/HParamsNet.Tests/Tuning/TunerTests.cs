using System.Collections.Concurrent;
using HParamsNet;
using HParamsNet.Sessions;
using HParamsNet.TestStudy;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Tuning;

public class TunerTests
{
    private static readonly HParam Units = new("units", new Discrete(8, 16, 32));
    private static readonly HParam Optimizer = new("optimizer", new Discrete("adam", "sgd"));
    private static readonly Metric Accuracy = new("accuracy");
    private static readonly Objective Maximize = new(Accuracy, StudyDirection.Maximize);

    private static TunerOptions Options(string logDir, SearchStrategy? strategy = null, int? maxTrials = null) => new()
    {
        LogDir = logDir,
        Space = [Units, Optimizer],
        Objective = Maximize,
        Strategy = strategy ?? new GridSearch(),
        MaxTrials = maxTrials,
    };

    private static double Score(Trial trial) => (trial.Get<int>("units") / 32.0) + (trial.Get<string>("optimizer") == "adam" ? 0.1 : 0);

    [Test]
    public async Task Grid_study_runs_every_combination_once_and_finds_the_best()
    {
        using var dir = new TempDirectory();

        StudyResult result = await new Tuner(Options(dir.Path)).RunAsync(Score);

        Assert.That(result.Trials, Has.Count.EqualTo(6));
        Assert.That(result.Trials.Select(t => $"{t.HParams["units"]}/{t.HParams["optimizer"]}"), Is.Unique);
        Assert.That(result.BestParams["units"], Is.EqualTo(32L));
        Assert.That(result.BestParams["optimizer"], Is.EqualTo("adam"));
        Assert.That(result.BestScore, Is.EqualTo(1.1));
        Assert.That(result.Configurations[result.BestIndex].Rank, Is.EqualTo(1));
        Assert.That(result.Configurations.Select(c => c.Rank).Order(), Is.EqualTo(new[] { 1, 2, 3, 4, 5, 6 }));
    }

    [Test]
    public async Task The_log_directory_is_what_tensorboard_needs()
    {
        using var dir = new TempDirectory();
        await new Tuner(Options(dir.Path)).RunAsync(Score);

        var sessions = HParamsLogReader.ReadSessions(dir.Path);
        var experiment = HParamsLogReader.ReadExperiment(dir.Path)!;

        Assert.That(experiment.HParams.Select(h => h.Name), Is.EqualTo(new[] { "units", "optimizer" }));
        Assert.That(experiment.Metrics.Single().Tag, Is.EqualTo("accuracy"));
        Assert.That(sessions.Select(s => s.Name), Is.EqualTo(Enumerable.Range(1, 6).Select(n => $"trial-{n:D4}")));
        Assert.That(sessions.Select(s => s.GroupName), Has.All.Match(@"^trial-\d{4}@[0-9a-f]{8}$"), "groups named by trial and study");
        Assert.That(sessions.Select(s => s.GroupName[..s.GroupName.IndexOf('@', StringComparison.Ordinal)]), Is.EqualTo(sessions.Select(s => s.Name)));
        Assert.That(sessions.Select(s => s.GroupName[s.GroupName.IndexOf('@', StringComparison.Ordinal)..]).Distinct().Count(), Is.EqualTo(1), "one study id");
        Assert.That(sessions.Select(s => s.Status), Has.All.EqualTo(SessionStatus.Success));
        Assert.That(sessions.Select(s => s.Last("", "accuracy")!.Value.Value), Has.All.GreaterThan(0.2));
    }

    [Test]
    public async Task Cross_validation_gives_mean_and_population_std_over_folds()
    {
        using var dir = new TempDirectory();
        var options = new TunerOptions
        {
            LogDir = dir.Path,
            Space = [Units],
            Objective = Maximize,
            Strategy = new GridSearch(),
            CrossValidation = new CrossValidationOptions(new KFold(3), 9),
        };

        // Fold k scores units/32 + 0.1 k: mean units/32 + 0.1, std sqrt(2/3) * 0.1.
        StudyResult result = await new Tuner(options).RunAsync(trial => (trial.Get<int>("units") / 32.0) + (0.1 * trial.Fold!.Index));

        ConfigurationResult best = result.Configurations[result.BestIndex];
        Assert.That(best.Trial.HParams["units"], Is.EqualTo(32L));
        Assert.That(best.FoldScores, Is.EqualTo(new[] { 1.0, 1.1, 1.2 }).Within(1e-12));
        Assert.That(best.MeanScore, Is.EqualTo(1.1).Within(1e-12));
        Assert.That(best.StdScore, Is.EqualTo(Math.Sqrt(2.0 / 3.0) * 0.1).Within(1e-12));
        var sessions = HParamsLogReader.ReadSessions(dir.Path);
        Assert.That(sessions, Has.Count.EqualTo(9));
        Assert.That(sessions.GroupBy(s => s.GroupName).Select(g => g.Count()), Has.All.EqualTo(3));
        Assert.That(sessions[0].Name, Is.EqualTo("trial-0001/fold-00"));
    }

    [Test]
    public async Task Folds_see_their_train_and_test_rows()
    {
        using var dir = new TempDirectory();
        var seen = new ConcurrentBag<(int Fold, int Train, int Test)>();
        var options = new TunerOptions
        {
            LogDir = dir.Path,
            Space = [Optimizer],
            Objective = Maximize,
            Strategy = new GridSearch(),
            CrossValidation = new CrossValidationOptions(new StratifiedKFold(3, shuffle: true, seed: 1), 12, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]),
        };

        await new Tuner(options).RunAsync(trial =>
        {
            seen.Add((trial.Fold!.Index, trial.Fold.TrainIndices.Count, trial.Fold.TestIndices.Count));
            return 0.5;
        });

        Assert.That(seen.Order(), Is.EqualTo(new[] { (0, 8, 4), (0, 8, 4), (1, 8, 4), (1, 8, 4), (2, 8, 4), (2, 8, 4) }));
    }

    [Test]
    public async Task A_failing_trial_is_recorded_and_the_study_goes_on()
    {
        using var dir = new TempDirectory();

        StudyResult result = await new Tuner(Options(dir.Path)).RunAsync(trial =>
            trial.Get<string>("optimizer") == "sgd" && trial.Get<int>("units") == 16 ? throw new InvalidOperationException("diverged: loss is NaN") : Score(trial));

        FrozenTrial failed = result.Trials.Single(t => t.State == TrialState.Failed);
        Assert.That(failed.Error, Is.EqualTo("InvalidOperationException: diverged: loss is NaN"));
        Assert.That(result.Trials.Count(t => t.State == TrialState.Complete), Is.EqualTo(5));
        SessionRecord session = HParamsLogReader.ReadSessions(dir.Path).Single(s => s.Name == failed.Name);
        Assert.That(session.Status, Is.EqualTo(SessionStatus.Failure));
        Assert.That(session.Texts["tuner/status"], Does.Contain("diverged: loss is NaN"));
        Assert.That(result.Configurations.Single(c => c.Trial == failed).Rank, Is.EqualTo(6));
    }

    [Test]
    public async Task StopOnFailure_records_the_failure_then_stops()
    {
        using var dir = new TempDirectory();
        var options = new TunerOptions { LogDir = dir.Path, Space = [Units, Optimizer], Objective = Maximize, Strategy = new GridSearch(), StopOnFailure = true };

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => new Tuner(options).RunAsync(trial => trial.Number == 2 ? throw new ArithmeticException("boom") : 0.5))!;

        Assert.That(error.Message, Does.Contain("Trial 2 failed").And.Contain("boom"));
        var sessions = HParamsLogReader.ReadSessions(dir.Path);
        Assert.That(sessions.Select(s => s.Status), Is.EqualTo(new[] { SessionStatus.Success, SessionStatus.Failure }));
        await Task.CompletedTask;
    }

    [Test]
    public async Task Parallel_trials_write_every_trial_once()
    {
        using var dir = new TempDirectory();
        var options = new TunerOptions
        {
            LogDir = dir.Path,
            Space = [new HParam("x", new IntInterval(0, 99))],
            Objective = Maximize,
            Strategy = new GridSearch(pointsPerInterval: 40),
            Parallelism = 4,
        };
        int concurrent = 0;
        int maxConcurrent = 0;

        StudyResult result = await new Tuner(options).RunAsync(async (trial, cancel) =>
        {
            int now = Interlocked.Increment(ref concurrent);
            InterlockedMax(ref maxConcurrent, now);
            await Task.Delay(5, cancel);
            Interlocked.Decrement(ref concurrent);
            return trial.Get<double>("x");
        });

        var sessions = HParamsLogReader.ReadSessions(dir.Path);
        Assert.That(result.Trials, Has.Count.EqualTo(40));
        Assert.That(sessions.Select(s => s.HParams["x"]), Is.Unique);
        Assert.That(sessions.Select(s => s.Name), Is.EquivalentTo(Enumerable.Range(1, 40).Select(n => $"trial-{n:D4}")));
        Assert.That(maxConcurrent, Is.GreaterThan(1).And.LessThanOrEqualTo(4));
    }

    [Test]
    public async Task MaxTrials_and_reports_for_random_search()
    {
        using var dir = new TempDirectory();
        StudyResult result = await new Tuner(new TunerOptions
        {
            LogDir = dir.Path,
            Space = [new HParam("lr", new RealInterval(1e-4, 1e-1) { Log = true })],
            Objective = new Objective(Accuracy, StudyDirection.Minimize),
            MaxTrials = 4,
        }).RunAsync(trial =>
        {
            trial.Report(0.9, 1);
            trial.Report(0.7, 2);
            return trial.Get<double>("lr");
        });

        Assert.That(result.Trials, Has.Count.EqualTo(4));
        Assert.That(result.BestScore, Is.EqualTo(result.Trials.Min(t => t.Value)));
        var points = HParamsLogReader.ReadSessions(dir.Path)[0].Scalars[("", "accuracy")];
        Assert.That(points.Select(p => p.Step), Is.EqualTo(new long[] { 1, 2, 3 }), "reports, then the final value after them");
        Assert.That(points[^1].Value, Is.EqualTo((double)(float)result.Trials[0].Value));
    }

    [Test]
    public async Task Resuming_a_finished_grid_runs_nothing_and_keeps_every_file()
    {
        using var dir = new TempDirectory();
        await new Tuner(Options(dir.Path)).RunAsync(Score);
        var before = Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);

        StudyResult again = await new Tuner(Options(dir.Path)).RunAsync(_ => throw new InvalidOperationException("must not run"));

        Assert.That(again.Trials, Has.Count.EqualTo(6));
        Assert.That(again.BestScore, Is.EqualTo(1.1).Within(1e-6));
        var after = Directory.EnumerateFiles(dir.Path, "*", SearchOption.AllDirectories).ToDictionary(f => f, File.ReadAllBytes);
        Assert.That(after.Keys, Is.EquivalentTo(before.Keys));
        Assert.That(after.All(p => p.Value.SequenceEqual(before[p.Key])), Is.True);
    }

    [Test]
    public async Task Resuming_with_another_space_is_refused_naming_the_difference()
    {
        using var dir = new TempDirectory();
        await new Tuner(Options(dir.Path)).RunAsync(Score);
        var wider = new TunerOptions { LogDir = dir.Path, Space = [new HParam("units", new Discrete(8, 16, 64)), Optimizer], Objective = Maximize, Strategy = new GridSearch() };

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => new Tuner(wider).RunAsync(Score))!;

        Assert.That(error.Message, Does.Contain(dir.Path).And.Contain("hparam 'units'").And.Contain("{8, 16, 32} there and {8, 16, 64} here"));
    }

    [Test]
    public void A_log_directory_written_by_someone_else_is_refused()
    {
        using var dir = new TempDirectory();
        CopyDirectory(Golden.LogDir("no_experiment"), dir.Path);

        var error = Assert.ThrowsAsync<InvalidOperationException>(() => new Tuner(Options(dir.Path)).RunAsync(Score))!;

        Assert.That(error.Message, Does.Contain("no hparams config").And.Contain("nothing in it was changed"));
    }

    [Test]
    public async Task Warm_start_shows_prior_trials_to_the_strategy()
    {
        using var prior = new TempDirectory();
        using var dir = new TempDirectory();
        await new Tuner(Options(prior.Path)).RunAsync(Score);
        var recorder = new RecordingStrategy();
        var options = new TunerOptions { LogDir = dir.Path, Space = [Units, Optimizer], Objective = Maximize, Strategy = recorder, MaxTrials = 1, WarmStartLogDirs = [prior.Path] };

        await new Tuner(options).RunAsync(Score);

        Assert.That(recorder.PriorCounts, Is.EqualTo(new[] { 6 }));
        Assert.That(recorder.BestPrior, Is.EqualTo(1.1).Within(1e-6));
    }

    [Test]
    public async Task Cancellation_records_the_running_trial_as_interrupted_and_resume_runs_its_configuration_again()
    {
        using var dir = new TempDirectory();
        using var cancel = new CancellationTokenSource();
        Dictionary<string, object>? cut = null;

        Assert.CatchAsync<OperationCanceledException>(() => new Tuner(Options(dir.Path)).RunAsync(async (trial, token) =>
        {
            if (trial.Number == 3)
            {
                cut = trial.HParams.ToDictionary(p => p.Key.Name, p => p.Value);
                await cancel.CancelAsync();
                await Task.Delay(Timeout.Infinite, token);
            }

            return Score(trial);
        }, cancel.Token));

        var sessions = HParamsLogReader.ReadSessions(dir.Path);
        Assert.That(sessions.Select(s => (s.Name, s.Status)), Is.EqualTo(new[] { ("trial-0001", SessionStatus.Success), ("trial-0002", SessionStatus.Success), ("trial-0003", SessionStatus.Failure) }));
        Assert.That(sessions[2].Texts["tuner/status"], Does.StartWith("failed: interrupted"));
        StudyResult resumed = await new Tuner(Options(dir.Path)).RunAsync(Score);
        Assert.That(resumed.Trials.Select(t => (t.Number, t.State)), Is.EqualTo(new[]
        {
            (1, TrialState.Complete), (2, TrialState.Complete), (3, TrialState.Failed), (4, TrialState.Complete), (5, TrialState.Complete), (6, TrialState.Complete), (7, TrialState.Complete),
        }));
        Assert.That(resumed.Trials[3].HParams, Is.EquivalentTo(cut!), "the interrupted configuration runs first on resume");
        Assert.That(resumed.Trials.Where(t => t.State == TrialState.Complete).Select(t => $"{t.HParams["units"]}/{t.HParams["optimizer"]}").ToList(), Is.Unique.And.Count.EqualTo(6));
        Assert.That(resumed.BestScore, Is.EqualTo(1.1).Within(1e-9));
        Assert.That(HParamsLogReader.ReadSessions(dir.Path).Select(s => s.HasEnd), Has.All.True);
    }

    [Test]
    public void Options_that_cannot_work_are_named()
    {
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new Tuner(new TunerOptions { LogDir = "x", Space = [new HParam("lr", new RealInterval(0, 1))], Objective = Maximize }))!.Message,
            Does.Contain("AutoSearch can propose without end: set MaxTrials, MaxCompleteTrials or Timeout"));
        Assert.That(Assert.Throws<ArgumentException>(() => _ = new Tuner(new TunerOptions { LogDir = "x", Space = [], Objective = Maximize, MaxTrials = 1 }))!.Message,
            Does.Contain("search space is empty"));
    }

    [Test]
    public async Task Typed_access_names_the_hparam_on_a_bad_cast()
    {
        using var dir = new TempDirectory();
        string? message = null;

        await new Tuner(Options(dir.Path, maxTrials: 1)).RunAsync(trial =>
        {
            message = Assert.Throws<InvalidCastException>(() => trial.Get<bool>("optimizer"))!.Message;
            Assert.That(Assert.Throws<KeyNotFoundException>(() => trial.Get<int>("nope"))!.Message, Does.Contain("'units', 'optimizer'"));
            return 0.5;
        });

        Assert.That(message, Does.Contain("'optimizer'").And.Contain("Boolean"));
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    internal static void CopyDirectory(string source, string target)
    {
        foreach (string file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            string destination = Path.Combine(target, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination);
        }
    }

    private sealed class RecordingStrategy : SearchStrategy
    {
        public List<int> PriorCounts { get; } = [];

        public double BestPrior { get; private set; }

        public override IReadOnlyDictionary<HParam, object>? Propose(StrategyContext context)
        {
            PriorCounts.Add(context.Trials.Count);
            BestPrior = context.Trials.Max(t => t.Value);
            return new Dictionary<HParam, object> { [Units] = 8, [Optimizer] = "sgd" };
        }
    }
}
