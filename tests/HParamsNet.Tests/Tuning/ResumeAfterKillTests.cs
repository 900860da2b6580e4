using System.Diagnostics;
using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.TestStudy;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;

namespace HParamsNet.Tests.Tuning;

/// <summary>
/// The crash the tuner must survive: a study process killed with SIGKILL in the middle of a trial,
/// then run again on the same log directory.
/// </summary>
[Category(TestCategories.Integration)]
public class ResumeAfterKillTests
{
    [TestCase(false)]
    [TestCase(true)]
    public async Task A_killed_study_resumes_with_each_configuration_exactly_once(bool crossValidate)
    {
        using var dir = new TempDirectory();
        string logDir = dir.Combine("study");

        // Run until three trials are finished, then kill mid-trial (a trial takes >= 250 ms).
        using (Process child = StartStudy(logDir, stepMilliseconds: 50, crossValidate))
        {
            while (await child.StandardOutput.ReadLineAsync() is string line && line != "finished 3")
            {
            }

            await Task.Delay(120);
            child.Kill(entireProcessTree: true); // SIGKILL on Linux: no finally blocks, no flush
            await child.WaitForExitAsync();
        }

        var before = HParamsLogReader.ReadSessions(logDir);
        var finishedFiles = before.Where(s => s.HasEnd)
            .SelectMany(s => Directory.EnumerateFiles(Path.Combine(logDir, s.Name), "*", SearchOption.AllDirectories))
            .ToDictionary(f => f, File.ReadAllBytes);
        Assert.That(before.Count(s => s.HasEnd), Is.GreaterThanOrEqualTo(3 * (crossValidate ? 3 : 1)));
        Assert.That(before.Any(s => !s.HasEnd) || LogDirectory.FindRuns(logDir).Count > before.Count + 1, Is.True, "killed in the middle of a trial");

        using (Process resumed = StartStudy(logDir, stepMilliseconds: 1, crossValidate))
        {
            string output = await resumed.StandardOutput.ReadToEndAsync();
            await resumed.WaitForExitAsync();
            Assert.That(resumed.ExitCode, Is.Zero, output + await resumed.StandardError.ReadToEndAsync());
            Assert.That(output, Does.Contain("done 12"));
        }

        // The one resume rule: the trial the kill cut short is failed as lost (its sessions end,
        // FAILURE); its configuration runs again in a new trial, with the folds it finished carried
        // over (not trained again); every configuration completes once.
        var after = HParamsLogReader.ReadSessions(logDir);
        int folds = crossValidate ? 3 : 1;
        var groups = after.GroupBy(s => s.GroupName).ToList();
        var complete = groups.Where(g => g.Count() == folds && g.All(s => s.Status == SessionStatus.Success)).ToList();
        var lost = groups.Except(complete).ToList();
        string Configuration(IGrouping<string, SessionRecord> g) => string.Join("/", g.First().HParams.OrderBy(p => p.Key).Select(p => p.Value));
        Assert.Multiple(() =>
        {
            Assert.That(complete, Has.Count.EqualTo(12), "every configuration completes: a group of one session per fold");
            Assert.That(complete.Select(Configuration), Is.Unique, "each configuration once");
            Assert.That(lost, Has.Count.InRange(0, 1), "one trial was cut short by the kill (none when it came between two trials)");
            Assert.That(lost.Select(Configuration), Is.SubsetOf(complete.Select(Configuration)), "the lost trial's configuration ran again");
            Assert.That(lost.SelectMany(g => g).Where(s => s.Status != SessionStatus.Success).Select(s => s.Texts["tuner/status"]), Has.All.StartWith("failed: worker lost"));
            Assert.That(after.Select(s => s.Name), Is.Unique);
            Assert.That(after.Select(s => s.HasEnd), Has.All.True, "TensorBoard shows every session with an end");
            Assert.That(LogDirectory.FindRuns(logDir).Select(r => r.Name).Where(n => n != "." && !n.Contains("/fold-", StringComparison.Ordinal) && n.Contains('/', StringComparison.Ordinal)), Is.Empty, "no stray runs");
            int trained = after.Count(s => s.Status == SessionStatus.Success && !s.Texts.ContainsKey("tuner/carried_over"));
            Assert.That(trained, Is.EqualTo(12 * folds), "a fold the lost trial had finished is carried over, not trained again");
            foreach ((string file, byte[] bytes) in finishedFiles)
            {
                Assert.That(File.ReadAllBytes(file), Is.EqualTo(bytes), $"{file} of a trial finished before the kill is untouched");
            }
        });
    }

    [Test]
    public async Task A_second_process_is_refused_at_once_and_a_killed_holder_leaves_no_stale_lock()
    {
        using var dir = new TempDirectory();
        string logDir = dir.Combine("study");
        using Process holder = StartStudy(logDir, stepMilliseconds: 200, crossValidate: false);
        try
        {
            while (await holder.StandardOutput.ReadLineAsync() is string line && line != "start")
            {
            }

            await Task.Delay(500); // the holder is inside its first trial

            using (Process second = StartStudy(logDir, stepMilliseconds: 1, crossValidate: false))
            {
                string error = await second.StandardError.ReadToEndAsync();
                await second.WaitForExitAsync();
                Assert.That(second.ExitCode, Is.Not.Zero);
                Assert.That(error, Does.Contain($"Log directory '{logDir}' is in use by another study process (host ").And.Contain($"pid {holder.Id}, since "));
            }

            Assert.That(HParamsLogReader.ReadSessions(logDir).Select(s => s.Name), Is.EqualTo(new[] { "trial-0001" }), "the refused process wrote nothing");
            Assert.That(Directory.Exists(logDir + ".interrupted"), Is.False, "and moved nothing aside");
        }
        finally
        {
            holder.Kill(entireProcessTree: true); // SIGKILL: the OS releases its lock
            await holder.WaitForExitAsync();
        }
        using Process after = StartStudy(logDir, stepMilliseconds: 1, crossValidate: false);
        string output = await after.StandardOutput.ReadToEndAsync();
        await after.WaitForExitAsync();
        Assert.That(after.ExitCode, Is.Zero, await after.StandardError.ReadToEndAsync());
        Assert.That(output, Does.Contain("done 12"));
    }

    private static Process StartStudy(string logDir, int stepMilliseconds, bool crossValidate)
    {
        string helper = Path.Combine(TestContext.CurrentContext.TestDirectory, "HParamsNet.TestStudy.dll");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { helper, logDir, stepMilliseconds.ToString(System.Globalization.CultureInfo.InvariantCulture), crossValidate ? "cv" : "plain" })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException("Could not start the study process.");
    }
}
