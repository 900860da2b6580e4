using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Tuning;

/// <summary>
/// Regression tests for the study's record in its log directory: creation that a crash
/// interrupted, finished cross-validated trials, the directory lock, session groups of several
/// studies, non-finite objective values and paths that cannot hold a study.
/// </summary>
public class StudyRecordTests
{
    private static readonly HParam Units = new("units", new Discrete(8, 16, 32));
    private static readonly HParam Optimizer = new("optimizer", new Discrete("adam", "sgd"));
    private static readonly Objective Maximize = new(new Metric("accuracy"), StudyDirection.Maximize);

    private static TunerOptions Options(string logDir, SearchStrategy? strategy = null, int? maxTrials = null, CrossValidationOptions? cv = null) => new()
    {
        LogDir = logDir,
        Space = [Units, Optimizer],
        Objective = Maximize,
        Strategy = strategy ?? new GridSearch(),
        MaxTrials = maxTrials,
        CrossValidation = cv,
    };

    private static double Score(Trial trial) => (trial.Get<int>("units") / 32.0) + (trial.Get<string>("optimizer") == "adam" ? 0.1 : 0) + ((trial.Fold?.Index ?? 0) * 0.01);

    [Test]
    public async Task A_study_whose_creation_left_only_an_empty_event_file_is_created_again()
    {
        using var dir = new TempDirectory();
        SummaryWriter.Create(dir.Path).Dispose(); // what a kill in the first ~150 ms left before the fix

        StudyResult result = await new Tuner(Options(dir.Path)).RunAsync(Score);

        Assert.That(result.Trials, Has.Count.EqualTo(6));
        Assert.That(HParamsLogReader.ReadExperiments(dir.Path), Has.Count.EqualTo(1));
        Assert.That(Directory.EnumerateFiles(dir.Path + ".interrupted", "events.out.tfevents.*", SearchOption.AllDirectories).Count(), Is.EqualTo(1), "the empty file was moved aside, not deleted");
        Assert.That(LogDirectoryValidator.Validate(dir.Path).HasErrors, Is.False);
    }

    [Test]
    public async Task A_staged_experiment_that_was_never_published_is_not_a_run_and_is_cleaned_up()
    {
        using var dir = new TempDirectory();
        File.WriteAllBytes(dir.Combine(".hparamsnet-staging.4242.abc"), [1, 2, 3]);

        Assert.That(LogDirectory.FindRuns(dir.Path), Is.Empty, "TensorBoard does not see a staged file");
        await new Tuner(Options(dir.Path)).RunAsync(Score);

        Assert.That(Directory.EnumerateFiles(dir.Path, ".hparamsnet-staging.*"), Is.Empty);
        Assert.That(HParamsLogReader.ReadExperiments(dir.Path), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task The_experiment_is_published_complete_in_one_event_file()
    {
        using var dir = new TempDirectory();
        await new Tuner(Options(dir.Path, maxTrials: 1)).RunAsync(Score);

        var root = EventFileNames.ListEventFiles(dir.Path);
        var events = EventFileReader.ReadEvents(root.Single()).ToList();

        Assert.That(Path.GetFileName(root[0]), Does.StartWith("events.out.tfevents."));
        Assert.That(events[0].FileVersion, Is.EqualTo("brain.Event:2"));
        Assert.That(events.Count(e => e.Summary?.Value.Any(v => v.Tag == HParamsSummaries.ExperimentTag) == true), Is.EqualTo(1));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task Resuming_a_finished_cross_validated_study_with_a_failed_or_pruned_trial_runs_nothing(bool prune)
    {
        using var dir = new TempDirectory();
        var cv = new CrossValidationOptions(new KFold(3), 30);
        int calls = 0;
        double Objective(Trial trial)
        {
            Interlocked.Increment(ref calls);
            if (trial.Get<int>("units") == 8 && trial.Get<string>("optimizer") == "sgd")
            {
                if (prune)
                {
                    throw new TrialPrunedException();
                }

                throw new InvalidOperationException("diverged");
            }

            return Score(trial);
        }

        await new Tuner(Options(dir.Path, cv: cv)).RunAsync(Objective);
        int sessionsBefore = HParamsLogReader.ReadSessions(dir.Path).Count;
        int callsBefore = calls;

        StudyResult again = await new Tuner(Options(dir.Path, cv: cv)).RunAsync(Objective);

        Assert.That(calls, Is.EqualTo(callsBefore), "no objective call when resuming a finished study");
        Assert.That(HParamsLogReader.ReadSessions(dir.Path), Has.Count.EqualTo(sessionsBefore));
        Assert.That(sessionsBefore, Is.EqualTo((5 * 3) + 1), "the failed or pruned trial stopped after its first fold");
        Assert.That(again.Trials.Single(t => t.State != TrialState.Complete).State, Is.EqualTo(prune ? TrialState.Pruned : TrialState.Failed));
    }

    [Test]
    public async Task A_second_tuner_on_a_running_study_is_refused_naming_the_holder()
    {
        using var dir = new TempDirectory();
        var inTrial = new TaskCompletionSource();
        var release = new TaskCompletionSource();
        Task<StudyResult> first = new Tuner(Options(dir.Path, maxTrials: 1)).RunAsync(async (trial, _) =>
        {
            inTrial.TrySetResult();
            await release.Task;
            return Score(trial);
        });
        await inTrial.Task;

        InvalidOperationException error;
        try
        {
            error = Assert.ThrowsAsync<InvalidOperationException>(() => new Tuner(Options(dir.Path)).RunAsync(Score))!;
        }
        finally
        {
            release.SetResult(); // also when the assertion fails: never leave the first study waiting
        }

        await first;

        Assert.That(error.Message, Does.Contain(Path.GetFullPath(dir.Path)).And.Contain($"pid {Environment.ProcessId}").And.Contain("since").And.Contain("Nothing was changed"));
        Assert.That(HParamsLogReader.ReadSessions(dir.Path), Has.Count.EqualTo(1), "the refused tuner wrote nothing");
        StudyResult after = await new Tuner(Options(dir.Path)).RunAsync(Score);
        Assert.That(after.Trials, Has.Count.EqualTo(6), "the lock is released when the first study ends");
    }

    [Test]
    public async Task Studies_below_one_directory_have_their_own_session_groups()
    {
        using var parent = new TempDirectory();
        await new Tuner(Options(parent.Combine("grid"))).RunAsync(Score);
        await new Tuner(Options(parent.Combine("random"), new RandomSearch(), maxTrials: 6)).RunAsync(Score);

        var sessions = HParamsLogReader.ReadSessions(parent.Path);
        var groups = sessions.GroupBy(s => s.GroupName).ToList();

        Assert.That(sessions, Has.Count.EqualTo(12));
        Assert.That(groups, Has.Count.EqualTo(12), "one group per trial of each study");
        Assert.That(LogDirectoryValidator.Validate(parent.Path).Problems.Where(p => p.Where.StartsWith("group", StringComparison.Ordinal)), Is.Empty);
    }

    [Test]
    public void Validate_reports_a_group_whose_sessions_have_different_hparams()
    {
        using var parent = new TempDirectory();
        foreach ((string study, string optimizer) in new[] { ("a", "adam"), ("b", "sgd") })
        {
            using var writer = SummaryWriter.Create(parent.Combine(study, "trial-0001"));
            writer.HParams(new Dictionary<string, object> { ["optimizer"] = optimizer }, "trial-0001");
            writer.SessionEnd();
        }

        ValidationReport report = LogDirectoryValidator.Validate(parent.Path);

        ValidationProblem problem = report.Problems.Single(p => p.Where == "group 'trial-0001'");
        Assert.That(problem.Severity, Is.EqualTo(ValidationSeverity.Error));
        Assert.That(problem.Message, Does.Contain("different hparams").And.Contain("optimizer=\"adam\"").And.Contain("optimizer=\"sgd\""));
    }

    [TestCase(double.NaN)]
    [TestCase(double.PositiveInfinity)]
    [TestCase(double.NegativeInfinity)]
    public async Task A_non_finite_objective_value_is_a_failed_trial_never_the_best(double bad)
    {
        using var dir = new TempDirectory();
        StudyResult result = await new Tuner(Options(dir.Path)).RunAsync(trial => trial.Get<int>("units") == 16 ? bad : Score(trial));

        var failed = result.Trials.Where(t => t.State == TrialState.Failed).ToList();
        Assert.That(failed, Has.Count.EqualTo(2));
        Assert.That(failed[0].Error, Does.Contain("the objective returned").And.Contain("finite"));
        Assert.That(result.BestScore, Is.EqualTo(1.1));
        var sessions = HParamsLogReader.ReadSessions(dir.Path).Where(s => (double)s.HParams["units"] == 16).ToList();
        Assert.That(sessions.Select(s => s.Status), Has.All.EqualTo(SessionStatus.Failure));
        Assert.That(sessions.Select(s => s.Texts["tuner/status"]), Has.All.StartWith("failed: the objective returned"));
    }

    [Test]
    public void A_log_directory_below_a_regular_file_is_refused_naming_the_file()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.Combine("notes.txt"), "x");

        var error = Assert.ThrowsAsync<IOException>(() => new Tuner(Options(dir.Combine("notes.txt", "study"))).RunAsync(Score))!;

        Assert.That(error.Message, Does.Contain($"'{dir.Combine("notes.txt")}' is a file, not a directory"));
    }

    [Test]
    public void A_log_directory_on_a_virtual_file_system_is_refused_saying_so()
    {
        Assume.That(Directory.Exists("/proc/self"), "a Linux /proc is needed"); // an assumption about the machine

        var error = Assert.ThrowsAsync<IOException>(() => new Tuner(Options("/proc/self/study")).RunAsync(Score))!;

        Assert.That(error.Message, Does.Contain("virtual 'proc' file system").And.Contain("Choose a directory on a disk"));
    }
}
