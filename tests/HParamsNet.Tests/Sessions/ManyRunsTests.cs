using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;

namespace HParamsNet.Tests.Sessions;

/// <summary>
/// Log directories with more runs side by side than are read one by one (runs are found and read
/// on every core): what callers see must be what a serial read gives, in the same order.
/// </summary>
public class ManyRunsTests
{
    private const int Runs = 150;
    private static readonly int[] Damaged = [17, 42, 43, 120];

    [Test]
    public void Problems_reach_the_callback_in_run_order_on_the_calling_thread()
    {
        using var dir = new TempDirectory();
        List<string> damagedFiles = WriteRuns(dir);
        var problems = new List<(EventFileProblem Problem, int Thread)>();
        var options = new EventFileReaderOptions
        {
            OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile,
            ProblemReported = p => problems.Add((p, Environment.CurrentManagedThreadId)), // no lock: one thread calls it
        };

        IReadOnlyList<SessionRecord> sessions = HParamsLogReader.ReadSessions(dir.Path, options);

        Assert.That(sessions, Has.Count.EqualTo(Runs));
        Assert.That(problems.Select(p => p.Problem.Path), Is.EqualTo(damagedFiles), "one problem per damaged file, in run order");
        Assert.That(problems.Select(p => p.Thread), Has.All.EqualTo(Environment.CurrentManagedThreadId));
        Assert.That(sessions.Select(s => s.Name), Is.Ordered.Using<string>(StringComparer.Ordinal));
        Assert.That(sessions.Single(s => s.Name == RunName(17)).Last("", "loss")!.Value.Step, Is.EqualTo(2), "what came before the damage is kept");
        Assert.That(sessions.Single(s => s.Name == RunName(18)).Last("", "loss")!.Value.Step, Is.EqualTo(3));
    }

    [Test]
    public void The_first_damaged_run_in_order_is_the_one_thrown_after_the_problems_before_it()
    {
        using var dir = new TempDirectory();
        List<string> damagedFiles = WriteRuns(dir);
        var problems = new List<EventFileProblem>();
        var strict = new EventFileReaderOptions { OnCorruptRecord = CorruptRecordHandling.Throw, ProblemReported = problems.Add };

        for (int attempt = 0; attempt < 5; attempt++)
        {
            problems.Clear();
            var thrown = Assert.Throws<CorruptEventFileException>(() => HParamsLogReader.ReadSessions(dir.Path, strict));
            Assert.That(thrown!.FilePath, Is.EqualTo(damagedFiles[0]), "every time, whichever thread met damage first");
            Assert.That(problems, Is.Empty);
        }
    }

    [Test]
    public void A_wide_directory_is_scanned_like_a_narrow_one()
    {
        using var dir = new TempDirectory();
        WriteRuns(dir);
        string nested = dir.Combine(RunName(5), "eval");
        using (var writer = SummaryWriter.Create(nested))
        {
            writer.Scalar("loss", 1, 1);
        }

        File.CreateSymbolicLink(Path.Combine(dir.Combine(RunName(99)), "back"), dir.Path);

        LogDirectoryScan scan = LogDirectory.Scan(dir.Path);

        var expected = Enumerable.Range(0, Runs).Select(RunName).Append(Path.Combine(RunName(5), "eval")).Order(StringComparer.Ordinal);
        Assert.That(scan.Runs.Select(r => r.Name), Is.EqualTo(expected));
        Assert.That(scan.Runs.Select(r => r.Path), Is.EqualTo(scan.Runs.Select(r => Path.Combine(Path.GetFullPath(dir.Path), r.Name))));
        Assert.That(scan.Skipped.Single().Path, Is.EqualTo(Path.Combine(dir.Path, RunName(99), "back")));
        Assert.That(scan.Skipped.Single().Reason, Does.Contain("would loop"));
    }

    [Test]
    public void A_comparison_of_many_groups_asks_directions_on_the_calling_thread_and_keeps_group_order()
    {
        using var dir = new TempDirectory();
        WriteRuns(dir);
        var askedFrom = new List<int>();

        ComparisonTable table = ComparisonTable.Load([dir.Path], bySession: true, lowerIsBetter: tag =>
        {
            askedFrom.Add(Environment.CurrentManagedThreadId); // no lock: the table asks from one thread
            return tag == "loss";
        });

        Assert.That(askedFrom, Is.Not.Empty.And.All.EqualTo(Environment.CurrentManagedThreadId));
        Assert.That(table.Rows, Has.Count.EqualTo(Runs));
        Assert.That(table.Rows.Select(r => r.Name), Is.Ordered.Using<string>(StringComparer.Ordinal));
        MetricSummary loss = table.Rows.Single(r => r.Name == RunName(3)).Metrics[("", "loss")];
        Assert.That((loss.Last, loss.Best, loss.BestStep), Is.EqualTo((0.0625, 0.0625, 3L)), "the lowest loss is the best when loss is minimised");
    }

    private static string RunName(int i) => $"session-{i:D3}";

    // Runs with a session start and three losses; in the damaged ones a flipped byte in the third
    // loss's record, so reading stops there.
    private static List<string> WriteRuns(TempDirectory dir)
    {
        var damaged = new List<string>();
        for (int i = 0; i < Runs; i++)
        {
            string file;
            long thirdLoss;
            using (var writer = SummaryWriter.Create(dir.Combine(RunName(i))))
            {
                writer.HParams(new Dictionary<string, object> { ["i"] = (double)i });
                writer.Scalar("loss", 1.0 / (i + 1), 1);
                writer.Scalar("loss", 0.5 / (i + 1), 2);
                writer.Flush();
                thirdLoss = new FileInfo(writer.FilePath).Length;
                writer.Scalar("loss", 0.25 / (i + 1), 3);
                file = writer.FilePath;
            }

            if (Damaged.Contains(i))
            {
                byte[] bytes = File.ReadAllBytes(file);
                bytes[thirdLoss + 20] ^= 0xFF;
                File.WriteAllBytes(file, bytes);
                damaged.Add(file);
            }
        }

        return damaged;
    }
}
