using HParamsNet;
using HParamsNet.Sessions;
using HParamsNet.Storage;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Tests.Storage;

/// <summary>A user's own loop driving a study through ask and tell, alone and as several workers on one storage.</summary>
public class AskAndTellTests
{
    private static readonly HParam Units = new("units", new Discrete(8, 16, 32, 64));
    private static readonly HParam Optimizer = new("optimizer", new Discrete("adam", "sgd"));
    private static readonly Metric Accuracy = new("accuracy");

    private static StudyOptions Options(IStudyStorage storage, string logDir, TimeSpan? heartbeat = null) => new()
    {
        Storage = storage,
        Name = "digits",
        Space = [Units, Optimizer],
        Objective = new Objective(Accuracy, StudyDirection.Maximize),
        LogDir = logDir,
        Strategy = new GridSearch(),
        HeartbeatInterval = heartbeat ?? TimeSpan.FromSeconds(10),
    };

    private static double Score(Trial trial) => (trial.Get<int>("units") / 64.0) + (trial.Get<string>("optimizer") == "adam" ? 0.1 : 0);

    [Test]
    public async Task A_loop_of_ask_and_tell_records_every_trial_in_the_storage_and_in_tensorboard()
    {
        using var dir = new TempDirectory();
        await using var storage = new InMemoryStudyStorage();
        await using Study study = await Study.CreateOrLoadAsync(Options(storage, dir.Path));

        while (await study.AskAsync() is Trial trial)
        {
            trial.Report(0.5, 1);
            await study.TellAsync(trial, Score(trial));
        }

        IReadOnlyList<FrozenTrial> trials = await study.GetTrialsAsync();
        var sessions = HParamsLogReader.ReadSessions(dir.Path);
        Assert.That(trials, Has.Count.EqualTo(8), "no trial is created once the grid is exhausted");
        Assert.That(trials.Count(t => t.State == TrialState.Complete), Is.EqualTo(8));
        Assert.That(trials.Where(t => t.State == TrialState.Complete).Select(t => $"{t.HParams["units"]}/{t.HParams["optimizer"]}"), Is.Unique);
        Assert.That(trials[0].IntermediateValues, Is.EqualTo(new[] { KeyValuePair.Create(1L, 0.5) }));
        Assert.That(sessions, Has.Count.EqualTo(8));
        Assert.That(sessions.Select(s => s.Status), Has.All.EqualTo(SessionStatus.Success));
        Assert.That(sessions.Select(s => s.GroupName), Is.Unique.And.All.Match("^trial-\\d{4}@[0-9a-f]{8}$"));
        Assert.That(sessions.Max(s => s.Last("", "accuracy")!.Value.Value), Is.EqualTo(1.1).Within(1e-6));
        Assert.That(LogDirectoryValidator.Validate(dir.Path).HasErrors, Is.False);
    }

    [Test]
    public async Task Two_workers_on_one_sqlite_file_share_the_study_without_repeating_a_configuration()
    {
        using var dir = new TempDirectory();
        string db = dir.Combine("study.db");

        async Task<int> WorkAsync()
        {
            await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(db);
            await using Study study = await Study.CreateOrLoadAsync(Options(storage, dir.Combine("logs")));
            int told = 0;
            while (await study.AskAsync() is Trial trial)
            {
                await Task.Delay(10);
                await study.TellAsync(trial, Score(trial));
                told++;
            }

            return told;
        }

        int[] told = await Task.WhenAll(WorkAsync(), WorkAsync());

        await using SqliteStudyStorage reader = await SqliteStudyStorage.OpenAsync(db);
        var complete = (await reader.GetTrialsAsync("digits")).Where(t => t.State == TrialState.Complete).ToList();
        Assert.That(told.Sum(), Is.EqualTo(8));
        Assert.That(complete.Select(t => $"{t.HParams["units"]}/{t.HParams["optimizer"]}"), Is.Unique);
        Assert.That(complete, Has.Count.EqualTo(8));
        Assert.That(HParamsLogReader.ReadExperiments(dir.Combine("logs")), Has.Count.EqualTo(1), "the experiment written once");
        Assert.That(HParamsLogReader.ReadSessions(dir.Combine("logs")).Count(s => s.Status == SessionStatus.Success), Is.EqualTo(8));
    }

    [Test]
    public async Task A_lost_worker_is_failed_by_the_next_one_in_the_storage_and_in_tensorboard_and_its_configuration_runs_again()
    {
        using var dir = new TempDirectory();
        await using var storage = new InMemoryStudyStorage();
        TimeSpan heartbeat = TimeSpan.FromMilliseconds(100);
        Trial abandoned;
        var killed = new SeveredStorage(storage);
        await using (Study lost = await Study.CreateOrLoadAsync(Options(killed, dir.Path, heartbeat)))
        {
            abandoned = (await lost.AskAsync())!;
            abandoned.Report(0.3, 1);
            await Task.Delay(300); // the report reaches the storage, as it happens
            killed.Sever(); // the worker is gone: no tell, no more heartbeats
        }

        await Task.Delay(400);
        await using Study survivor = await Study.CreateOrLoadAsync(Options(storage, dir.Path, heartbeat));
        Trial again = (await survivor.AskAsync())!;
        bool late = await survivor.TellAsync(again, Score(again));

        FrozenTrial failed = (await storage.GetTrialsAsync("digits")).Single(t => t.Number == abandoned.Number);
        SessionRecord session = HParamsLogReader.ReadSessions(dir.Path).Single(s => s.Name == abandoned.RunName);
        Assert.That(late, Is.True);
        Assert.That(failed.State, Is.EqualTo(TrialState.Failed));
        Assert.That(failed.Error, Does.StartWith("worker lost"));
        Assert.That(session.HasEnd && session.Status == SessionStatus.Failure, Is.True, "TensorBoard shows no session running for ever");
        Assert.That(session.Texts["tuner/status"], Does.StartWith("failed: worker lost"));
        Assert.That(again.HParams.ToDictionary(p => p.Key.Name, p => p.Value), Is.EquivalentTo(abandoned.HParams.ToDictionary(p => p.Key.Name, p => p.Value)), "the lost configuration runs again");
        Assert.That(failed.IntermediateValues, Is.EqualTo(new[] { KeyValuePair.Create(1L, 0.3) }), "a lost trial keeps what it reported");
    }

    [Test]
    public async Task A_worker_lost_before_its_session_started_gets_a_whole_failed_session_from_the_storage()
    {
        // Regression (CI, worker kills on PostgreSQL): a worker killed after the storage created its
        // trial and before the session's first write left a trial failed as lost with no session,
        // so TensorBoard did not show a trial the storage holds.
        using var dir = new TempDirectory();
        await using var storage = new InMemoryStudyStorage();
        TimeSpan heartbeat = TimeSpan.FromMilliseconds(100);
        await using (Study first = await Study.CreateOrLoadAsync(Options(storage, dir.Path, heartbeat)))
        {
            // What the killed worker got done: the study, and its trial in the storage; nothing in the log directory.
            Assert.That(await storage.CreateTrialAsync("digits", new Dictionary<string, object> { ["units"] = 32, ["optimizer"] = "sgd" }), Is.EqualTo(1));
        }

        await Task.Delay(400);
        await using Study survivor = await Study.CreateOrLoadAsync(Options(storage, dir.Path, heartbeat));
        Trial again = (await survivor.AskAsync())!;
        await survivor.TellAsync(again, Score(again));

        FrozenTrial lost = (await storage.GetTrialsAsync("digits")).Single(t => t.Number == 1);
        SessionRecord session = HParamsLogReader.ReadSessions(dir.Path).Single(s => s.Name == lost.Name);
        Assert.That(lost.Error, Does.StartWith("worker lost"));
        Assert.That(session.HParams, Is.EquivalentTo(new Dictionary<string, object> { ["units"] = 32.0, ["optimizer"] = "sgd" }));
        Assert.That(session.GroupName, Does.Match("^trial-0001@[0-9a-f]{8}$"));
        Assert.That(session.HasEnd && session.Status == SessionStatus.Failure, Is.True);
        Assert.That(session.Texts["tuner/status"], Does.StartWith("failed: worker lost"));
        Assert.That(again.HParams.ToDictionary(p => p.Key.Name, p => p.Value), Is.EquivalentTo(new Dictionary<string, object> { ["units"] = 32, ["optimizer"] = "sgd" }));
        Assert.That(LogDirectoryValidator.Validate(dir.Path).HasErrors, Is.False);
    }

    [Test]
    public async Task Alone_a_worker_reproduces_its_proposals_and_beside_others_it_draws_its_own()
    {
        // Regression: workers guessing the same next number drew the same configuration from
        // (seed, number) and raced for it; one lost 21 times in a row and gave up.
        using var dir = new TempDirectory();
        var space = new HParam("rate", new RealInterval(1e-4, 1e-1) { Log = true });
        StudyOptions Options(IStudyStorage storage, string logDir) => new()
        {
            Storage = storage,
            Name = "random",
            Space = [space],
            Objective = new Objective(Accuracy, StudyDirection.Maximize),
            LogDir = logDir,
            Strategy = new RandomSearch(),
        };
        await using var alone = new InMemoryStudyStorage();
        await using Study single = await Study.CreateOrLoadAsync(Options(alone, dir.Combine("alone")));
        Trial first = (await single.AskAsync())!;
        await single.TellAsync(first, 0.5);
        Trial second = (await single.AskAsync())!;

        await using var shared = new InMemoryStudyStorage();
        await using Study workerA = await Study.CreateOrLoadAsync(Options(shared, dir.Combine("shared")));
        await using Study workerB = await Study.CreateOrLoadAsync(Options(shared, dir.Combine("shared")));
        Trial fromA = (await workerA.AskAsync())!;
        Trial fromB = (await workerB.AskAsync())!; // A's trial runs: B is not alone

        Assert.That(fromA.Get<double>(space), Is.EqualTo(first.Get<double>(space)), "a worker alone draws trial 1 from (seed, 1), as any run of the study");
        Assert.That((fromB.Number, fromB.Get<double>(space)), Is.Not.EqualTo((second.Number, second.Get<double>(space))), "beside another worker it draws from its own stream");
        Assert.That(fromB.Number, Is.EqualTo(2));
    }
}
