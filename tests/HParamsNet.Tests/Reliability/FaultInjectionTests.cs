using HParamsNet.FaultInjection;
using HParamsNet.Tests.Common;

namespace HParamsNet.Tests.Reliability;

/// <summary>
/// A short run of the fault-injection harness (tests/HParamsNet.FaultInjection; the full run and
/// its counts are in docs/reliability.md): one kill sweep per combination of strategy,
/// cross-validation and parallelism, and 300 mutated files through every reader and CLI command.
/// </summary>
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
