using HParamsNet.FaultInjection;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;

namespace HParamsNet.Tests.Reliability;

/// <summary>
/// A short run of the fault-injection harness (tests/HParamsNet.FaultInjection; the full run and
/// its counts are in docs/reliability.md): one kill sweep per combination of strategy,
/// cross-validation and parallelism, four kills of workers of a shared study on each SQL store,
/// and 300 mutated files through every reader and CLI command.
/// </summary>
[Category(TestCategories.Integration)]
public class FaultInjectionTests
{
    [Test]
    public async Task Kill_sweeps_lose_duplicate_and_wedge_nothing()
    {
        using var dir = new TempDirectory();
        var log = new StringWriter();

        KillReport report = await KillSweeps.RunAsync(new KillSweepOptions(Sweeps: 8, Seed: Environment.TickCount, dir.Path, log));

        Assert.That(report.Kills, Is.GreaterThanOrEqualTo(8));
        Assert.That(report.EarlyKills, Is.EqualTo(2));
        Assert.That(report.Failures, Is.Empty, log.ToString());
        Assert.That(report.Clean, Is.True);
    }

    [TestCase("sqlite", 0)]
    [TestCase("postgresql", 0)]
    [TestCase("sqlite", 3)]
    [TestCase("postgresql", 3)]
    public async Task Workers_killed_mid_trial_lose_nothing_and_leave_no_session_without_an_end(string store, int folds)
    {
        using var dir = new TempDirectory();
        string schema = TestPostgres.NewSchema();
        string url = store == "sqlite" ? $"sqlite://{dir.Combine("study.db")}" : $"{TestPostgres.Url}?schema={schema}";
        var log = new StringWriter();
        try
        {
            WorkerKillReport report = await WorkerKills.RunAsync(new WorkerKillOptions(Kills: 4, url, dir.Combine("logs"), Seed: Environment.TickCount, Trials: folds == 0 ? 120 : 60, TrialMilliseconds: folds == 0 ? 60 : 20, Log: log, Folds: folds));

            Assert.That(report.Kills, Is.EqualTo(4));
            Assert.That(report.LostTrials, Is.InRange(1, 4), "a kill mid-trial loses that trial (unless it came after the storage's record)");
            Assert.That(report.Failures, Is.Empty, log.ToString());
            Assert.That(report.Clean, Is.True);
        }
        finally
        {
            if (store == "postgresql")
            {
                await TestPostgres.DropAsync([schema]);
            }
        }
    }

    [Test]
    public async Task Mutated_files_through_every_reader_and_command_raise_nothing_unexpected()
    {
        using var dir = new TempDirectory();

        FuzzReport report = await Fuzzer.RunAsync(new FuzzOptions(Files: 300, Seed: Environment.TickCount, dir.Path));

        Assert.That(report.Files, Is.EqualTo(300));
        Assert.That(report.Reported, Is.GreaterThan(0), "the mutations did damage");
        Assert.That(report.Failures, Is.Empty);
        Assert.That(report.Unexpected + report.Hangs, Is.Zero);
    }
}
