using HParamsNet;
using HParamsNet.Sessions;
using HParamsNet.Tests.Common;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Storage;

/// <summary>A log directory written from a storage alone shows what the workers' own log directory shows.</summary>
public class LogDirectoryRebuildTests
{
    private static readonly HParam Units = new("units", new Discrete(8, 16, 32, 64));
    private static readonly Metric Loss = new("loss", group: "validation");

    [Test]
    public async Task A_rebuilt_log_directory_reads_back_as_the_one_the_workers_wrote()
    {
        using var dir = new TempDirectory();
        await using var storage = new InMemoryStudyStorage();
        await using (Study study = await Study.CreateOrLoadAsync(new StudyOptions
        {
            Storage = storage,
            Name = "rebuild",
            Space = [Units],
            Objective = new Objective(Loss, StudyDirection.Minimize),
            LogDir = dir.Combine("workers"),
            Strategy = new GridSearch(),
        }))
        {
            // One of each ending, and one still running.
            Trial complete = (await study.AskAsync())!;
            complete.Report(0.9, 1);
            complete.Report(0.7, 2);
            await study.TellAsync(complete, 0.6);
            Trial pruned = (await study.AskAsync())!;
            pruned.Report(1.5, 1);
            await study.TellPrunedAsync(pruned);
            Trial failed = (await study.AskAsync())!;
            await study.TellFailedAsync(failed, "CUDA out of memory");
            _ = await study.AskAsync();
        }

        int written = await LogDirectoryRebuild.WriteAsync(storage, "rebuild", dir.Combine("rebuilt"));

        Assert.That(written, Is.EqualTo(4));
        Assert.That(Read(dir.Combine("rebuilt")), Is.EqualTo(Read(dir.Combine("workers"))));
        Assert.That(HParamsLogReader.ReadExperiment(dir.Combine("rebuilt"))!.HParams.Single().Name, Is.EqualTo("units"));
        Assert.That(HParamsLogReader.ReadExperiment(dir.Combine("rebuilt"))!.Metrics.Single().Group, Is.EqualTo("validation"));
        var refused = Assert.ThrowsAsync<IOException>(async () => await LogDirectoryRebuild.WriteAsync(storage, "rebuild", dir.Combine("rebuilt")))!;
        Assert.That(refused.Message, Does.Contain("is not empty").And.Contain("Nothing was written"));
        var unknown = Assert.ThrowsAsync<InvalidOperationException>(async () => await LogDirectoryRebuild.WriteAsync(storage, "other", dir.Combine("other")))!;
        Assert.That(unknown.Message, Is.EqualTo("The storage has no study 'other'; it has 'rebuild'."));
    }

    // What a reader of TensorBoard's files sees of each session, times aside.
    private static string[] Read(string logDir) =>
        [.. HParamsLogReader.ReadSessions(logDir).OrderBy(s => s.Name, StringComparer.Ordinal).Select(s =>
            $"{s.Name} {s.GroupName} units={s.HParams["units"]} {s.Status} end={s.HasEnd} loss=[{string.Join(", ", s.Scalars.GetValueOrDefault(("validation", "loss"), []).Select(p => $"{p.Step}:{p.Value}"))}] text={s.Texts.GetValueOrDefault(TrialSession.StatusTextTag)}")];
}
