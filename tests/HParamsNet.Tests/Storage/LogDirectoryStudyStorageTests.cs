using HParamsNet;
using HParamsNet.Sessions;
using HParamsNet.Tests.Common;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Storage;

/// <summary>The contract on the log-directory store, a directory per test, and what only it does: resume from the files, one process at a time.</summary>
public class LogDirectoryStudyStorageTests : StudyStorageContract
{
    private TempDirectory? _dir;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir?.Dispose();

    protected override bool HoldsManyStudies => false;

    protected override ValueTask<IStudyStorage> CreateStorageAsync() =>
        ValueTask.FromResult<IStudyStorage>(new LogDirectoryStudyStorage(_dir!.Combine(Guid.NewGuid().ToString("N"))));

    private StudyOptions Options(IStudyStorage storage) => new()
    {
        Storage = storage,
        Name = "digits",
        Space = [Units, Rate],
        Objective = new Objective(Accuracy, StudyDirection.Maximize),
        LogDir = _dir!.Combine("study"),
        Strategy = new RandomSearch(),
        MaxTrials = 5,
    };

    [Test]
    public async Task A_study_resumes_from_its_files_and_runs_an_interrupted_trial_again()
    {
        Dictionary<string, object> interrupted;
        await using (var storage = new LogDirectoryStudyStorage(_dir!.Combine("study")))
        await using (Study study = await Study.CreateOrLoadAsync(Options(storage)))
        {
            for (int i = 0; i < 3; i++)
            {
                Trial trial = (await study.AskAsync())!;
                trial.Report(0.25, 1);
                await study.TellAsync(trial, 0.5 + i);
            }

            Trial cut = (await study.AskAsync())!; // the study stops here: never told
            interrupted = cut.HParams.ToDictionary(p => p.Key.Name, p => p.Value);
        } // disposed: the trial not told is recorded as interrupted

        await using var again = new LogDirectoryStudyStorage(_dir.Combine("study"));
        await using Study resumed = await Study.CreateOrLoadAsync(Options(again));
        IReadOnlyList<FrozenTrial> before = await resumed.GetTrialsAsync();
        var ran = new List<Trial>();
        while (await resumed.AskAsync() is Trial trial)
        {
            ran.Add(trial);
            await resumed.TellAsync(trial, 0.1);
        }

        Assert.That(before.Select(t => (t.Number, t.State, t.Value)), Is.EqualTo(new[] { (1, TrialState.Complete, 0.5), (2, TrialState.Complete, 1.5), (3, TrialState.Complete, 2.5), (4, TrialState.Failed, double.NaN) }));
        Assert.That(before[0].IntermediateValues.Single(), Is.EqualTo(KeyValuePair.Create(1L, 0.25)));
        Assert.That(before[3].Error, Does.StartWith("interrupted"));
        Assert.That(ran.Select(t => t.Number), Is.EqualTo(new[] { 5, 6 }), "MaxTrials 5 counts the interrupted trial out: it is replaced");
        Assert.That(ran[0].HParams.ToDictionary(p => p.Key.Name, p => p.Value), Is.EqualTo(interrupted), "the interrupted configuration runs first");
        IReadOnlyList<SessionRecord> sessions = HParamsLogReader.ReadSessions(_dir.Combine("study"));
        Assert.That(sessions.Select(s => (s.Name, s.Status)).OrderBy(s => s.Name), Is.EqualTo(new[]
        {
            ("trial-0001", SessionStatus.Success), ("trial-0002", SessionStatus.Success), ("trial-0003", SessionStatus.Success),
            ("trial-0004", SessionStatus.Failure), ("trial-0005", SessionStatus.Success), ("trial-0006", SessionStatus.Success),
        }), "every session has an end: the interrupted one says so");
        Assert.That(sessions.Single(s => s.Name == "trial-0004").Texts["tuner/status"], Does.StartWith("failed: interrupted"));
    }

    [Test]
    public async Task A_second_storage_on_a_directory_in_use_is_refused_and_a_study_with_another_directory_too()
    {
        await using var storage = new LogDirectoryStudyStorage(_dir!.Combine("study"));
        await using Study study = await Study.CreateOrLoadAsync(Options(storage));
        await using var second = new LogDirectoryStudyStorage(_dir.Combine("study"));

        var inUse = Assert.ThrowsAsync<InvalidOperationException>(async () => await second.CreateOrLoadStudyAsync(new StudyDefinition("digits", new HParamsExperiment([Units, Rate], [Accuracy]), new Objective(Accuracy, StudyDirection.Maximize))))!;
        var elsewhere = Assert.ThrowsAsync<ArgumentException>(async () => await Study.CreateOrLoadAsync(Options(storage) with { LogDir = _dir.Combine("other") }))!;

        Assert.That(inUse.Message, Does.Contain(_dir.Combine("study")).And.Contain("is in use by another study process").And.Contain("Nothing was changed."));
        Assert.That(elsewhere.Message, Does.Contain("give both the same directory"));
    }
}
