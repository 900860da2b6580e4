using System.Diagnostics;
using Google.Protobuf;
using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Sessions;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;
using HParamsNet.Tests.Tuning;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Sessions;

/// <summary>
/// Log directories that are damaged or hostile in ways a checksum cannot see: hparams summaries
/// with bad content, two writers on one run, symbolic link loops, FIFOs named like event files.
/// </summary>
public class HostileLogDirectoryTests
{
    [Test]
    public void Malformed_hparams_plugin_content_is_reported_with_file_and_offset_not_thrown()
    {
        using var dir = new TempDirectory();
        string run = dir.Combine("run");
        string file;
        using (var writer = SummaryWriter.Create(run))
        {
            writer.HParams(new Dictionary<string, object> { ["lr"] = 0.1 });
            writer.WriteSummary(Malformed(HParamsSummaries.SessionEndInfoTag), 0);
            writer.Scalar("accuracy", 0.5, 1);
            file = writer.FilePath;
        }

        var problems = new List<EventFileProblem>();
        var options = new EventFileReaderOptions { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile, ProblemReported = problems.Add };
        var sessions = HParamsLogReader.ReadSessions(dir.Path, options);
        var experiments = HParamsLogReader.ReadExperiments(dir.Path, options);

        Assert.That(sessions.Single().HParams["lr"], Is.EqualTo(0.1));
        Assert.That(sessions.Single().Last("", "accuracy")!.Value.Value, Is.EqualTo(0.5), "events after the bad summary are still read");
        Assert.That(experiments, Is.Empty);
        EventFileProblem problem = problems.First();
        Assert.That(problem.Kind, Is.EqualTo(EventFileProblemKind.InvalidPluginData));
        Assert.That(problem.Path, Is.EqualTo(file));
        Assert.That(problem.Offset, Is.GreaterThan(0));
        Assert.That(problem.Message, Does.Contain($"byte offset {problem.Offset}").And.Contain(HParamsSummaries.SessionEndInfoTag));

        var strict = new EventFileReaderOptions { OnCorruptRecord = CorruptRecordHandling.Throw };
        Assert.That(() => HParamsLogReader.ReadSessions(dir.Path, strict), Throws.TypeOf<CorruptEventFileException>());
        ValidationReport report = LogDirectoryValidator.Validate(dir.Path);
        Assert.That(report.Problems.Single(p => p.Severity == ValidationSeverity.Error).Message, Does.Contain("not a valid HParamsPluginData"));
        Assert.That(() => ComparisonTable.Load([dir.Path]), Throws.Nothing);
    }

    /// <summary>Found by the fuzz harness (seed 2027, file 790): a checksum-valid session start whose hparam value has no kind made every reader throw from the JSON formatter.</summary>
    [Test]
    public void A_session_start_with_values_of_no_kind_reads_as_tensorboard_shows_it()
    {
        using var dir = new TempDirectory();
        var start = new Protos.HParams.SessionStartInfo { GroupName = "g" };
        start.Hparams.Add("none", new Google.Protobuf.WellKnownTypes.Value());
        start.Hparams.Add("null", Google.Protobuf.WellKnownTypes.Value.ForNull());
        start.Hparams.Add("list", Google.Protobuf.WellKnownTypes.Value.ForList(new Google.Protobuf.WellKnownTypes.Value()));
        start.Hparams.Add("lr", Google.Protobuf.WellKnownTypes.Value.ForNumber(0.1));
        using (EventFileWriter writer = EventFileWriter.Create(dir.Combine("run")))
        {
            writer.WriteSummary(PluginSummary(HParamsSummaries.SessionStartInfoTag, new Protos.HParams.HParamsPluginData { SessionStartInfo = start }.ToByteString()), 0);
        }

        SessionRecord session = HParamsLogReader.ReadSessions(dir.Path).Single();

        Assert.That(session.HParams.Keys.Order(StringComparer.Ordinal), Is.EqualTo(new[] { "list", "lr" }), "None and null are empty cells in TensorBoard");
        Assert.That(session.HParams["list"], Is.EqualTo("(ListValue with a value of no kind)"));
        Assert.That(() => LogDirectoryValidator.Validate(dir.Path), Throws.Nothing);
        Assert.That(() => ComparisonTable.Load([dir.Path]), Throws.Nothing);
    }

    [Test]
    public async Task A_study_with_a_malformed_session_start_resumes_running_that_trial_again()
    {
        using var dir = new TempDirectory();
        var units = new HParam("units", new Discrete(8, 16));
        TunerOptions Options() => new() { LogDir = dir.Path, Space = [units], Objective = new Objective(new Metric("accuracy"), StudyDirection.Maximize), Strategy = new GridSearch() };
        await new Tuner(Options()).RunAsync(_ => 0.5);
        string trial = dir.Combine("trial-0002");
        foreach (string file in Directory.GetFiles(trial))
        {
            File.Delete(file);
        }

        using (var writer = SummaryWriter.Create(trial))
        {
            writer.WriteSummary(Malformed(HParamsSummaries.SessionStartInfoTag), 0);
        }

        StudyResult result = await new Tuner(Options()).RunAsync(_ => 0.5);

        // The run that TensorBoard cannot read is set aside and its trial counted lost; the grid's
        // configuration it held runs again.
        Assert.That(result.Trials.Where(t => t.State == TrialState.Complete).Select(t => t.HParams["units"]), Is.EquivalentTo(new object[] { 8L, 16L }));
        Assert.That(result.Trials.Single(t => t.Number == 2).Error, Does.StartWith("worker lost"));
        Assert.That(LogDirectoryValidator.Validate(dir.Path).HasErrors, Is.False);
    }

    [Test]
    public void Validate_reports_two_writers_on_one_run()
    {
        using var dir = new TempDirectory();
        using (var root = SummaryWriter.Create(dir.Path))
        {
            root.HParamsConfig([new HParam("units", new Discrete(8, 16))], [new Metric("loss")]);
        }

        string run = dir.Combine("trial-0001");
        using (var first = SummaryWriter.Create(run))
        using (var second = SummaryWriter.Create(run))
        {
            foreach (SummaryWriter writer in new[] { first, second })
            {
                writer.HParams(new Dictionary<string, object> { ["units"] = 8 }, "trial-0001");
                for (int step = 1; step <= 4; step++)
                {
                    writer.Scalar("loss", 1.0 / step, step);
                }

                writer.SessionEnd();
            }
        }

        ValidationReport report = LogDirectoryValidator.Validate(dir.Path);
        var messages = report.Problems.Where(p => p.Where == "trial-0001" && p.Severity == ValidationSeverity.Error).Select(p => p.Message).ToList();

        Assert.That(report.HasErrors, Is.True);
        Assert.That(messages, Has.Some.Contains("has 2 session starts (2 event files: two writers?)"));
        Assert.That(messages, Has.Some.Contains("has 2 session ends"));
        Assert.That(messages, Has.Some.Contains("'loss' has 4 points at a step that was already written or is earlier"));
    }

    [Test]
    public void A_symbolic_link_loop_is_skipped_and_reported()
    {
        using var dir = new TempDirectory();
        TunerTests.CopyDirectory(Golden.LogDir("hparams_basic"), dir.Path);
        int runs = LogDirectory.FindRuns(dir.Path).Count;
        string sub = LogDirectory.FindRuns(dir.Path).First(r => r.Name != ".").Path;
        File.CreateSymbolicLink(Path.Combine(sub, "loop"), "..");
        File.CreateSymbolicLink(dir.Combine("self"), dir.Path);
        using (var writer = SummaryWriter.Create(dir.Combine("..", Path.GetFileName(dir.Path) + "-elsewhere", "extra")))
        {
            writer.Scalar("x", 1, 1);
        }

        File.CreateSymbolicLink(dir.Combine("linked"), dir.Path + "-elsewhere");
        try
        {
            LogDirectoryScan scan = LogDirectory.Scan(dir.Path);

            Assert.That(scan.Runs.Select(r => r.Name), Has.Member(Path.Combine("linked", "extra")), "a link that does not loop is followed, as TensorBoard follows it");
            Assert.That(scan.Runs, Has.Count.EqualTo(runs + 1));
            Assert.That(scan.Skipped.Select(s => Path.GetFileName(s.Path)), Is.EquivalentTo(new[] { "loop", "self" }));
            Assert.That(scan.Skipped.Select(s => s.Reason), Has.All.Contains("would loop"));
            Assert.That(LogDirectoryValidator.Validate(dir.Path).Problems.Count(p => p.Message.Contains("would loop", StringComparison.Ordinal)), Is.EqualTo(2));
        }
        finally
        {
            Directory.Delete(dir.Path + "-elsewhere", recursive: true);
        }
    }

    [Test]
    public void A_fifo_named_like_an_event_file_is_not_opened()
    {
        Assume.That(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), "FIFOs are a Unix thing"); // an assumption about the machine
        using var dir = new TempDirectory();
        TunerTests.CopyDirectory(Golden.LogDir("hparams_basic"), dir.Path);
        string fifo = dir.Combine("events.out.tfevents.0000000001.fifo");
        using (Process mkfifo = Process.Start("mkfifo", fifo))
        {
            mkfifo.WaitForExit();
        }

        Task<ValidationReport> validate = Task.Run(() => LogDirectoryValidator.Validate(dir.Path));
        Task<IReadOnlyList<SessionRecord>> read = Task.Run(() => HParamsLogReader.ReadSessions(dir.Path));

        Assert.That(Task.WaitAll([validate, read], TimeSpan.FromSeconds(20)), Is.True, "no hang");
        Assert.That(read.Result, Is.Not.Empty);
    }

    private static Summary Malformed(string tag) => PluginSummary(tag, ByteString.CopyFrom(0x0A, 0xFF, 0xFF, 0x01));

    private static Summary PluginSummary(string tag, ByteString content) => new()
    {
        Value =
        {
            new Summary.Types.Value
            {
                Tag = tag,
                Metadata = new SummaryMetadata
                {
                    PluginData = new SummaryMetadata.Types.PluginData { PluginName = HParamsSummaries.PluginName, Content = content },
                },
            },
        },
    };
}
