using HParamsNet;
using HParamsNet.Sessions;
using HParamsNet.Storage;
using HParamsNet.Tests.Common;
using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;
using Microsoft.Data.Sqlite;

namespace HParamsNet.Tests.Storage;

/// <summary>The contract on the SQLite store, a file per test, and what only a file has: versions, reopening, foreign files.</summary>
public class SqliteStudyStorageTests : StudyStorageContract
{
    private TempDirectory? _dir;

    [SetUp]
    public void CreateDirectory() => _dir = new TempDirectory();

    [TearDown]
    public void DeleteDirectory() => _dir?.Dispose();

    protected override async ValueTask<IStudyStorage> CreateStorageAsync() =>
        await SqliteStudyStorage.OpenAsync(_dir!.Combine($"{Guid.NewGuid():N}.db"));

    [Test]
    public async Task A_reopened_file_holds_the_study_with_its_types()
    {
        string path = _dir!.Combine("study.db");
        await using (SqliteStudyStorage first = await SqliteStudyStorage.OpenAsync(path))
        {
            await first.CreateOrLoadStudyAsync(Definition());
            int number = await first.CreateTrialAsync("study");
            await first.SetTrialHParamsAsync("study", number, new Dictionary<string, object> { ["units"] = 16, ["rate"] = 0.1 });
            await first.FinishTrialAsync("study", number, TrialOutcome.Complete(0.5));
        }

        await using SqliteStudyStorage second = await SqliteStudyStorage.OpenAsync(path);
        await second.CreateOrLoadStudyAsync(Definition());
        FrozenTrial trial = (await second.GetTrialsAsync("study")).Single();

        Assert.That(trial.HParams["units"], Is.TypeOf<long>().And.EqualTo(16L));
        Assert.That(trial.HParams["rate"], Is.TypeOf<double>().And.EqualTo(0.1));
        Assert.That(trial.Value, Is.EqualTo(0.5));
        Assert.That(await second.CreateTrialAsync("study"), Is.EqualTo(2), "numbering continues");
    }

    [Test]
    public async Task A_whole_real_value_stays_a_real_number()
    {
        await using IStudyStorage storage = await CreateStorageAsync();
        var lr = new HParam("scale", new RealInterval(1, 4));
        await storage.CreateOrLoadStudyAsync(Definition("reals", lr));
        int number = await storage.CreateTrialAsync("reals");

        await storage.SetTrialHParamsAsync("reals", number, new Dictionary<string, object> { ["scale"] = 2.0 });

        Assert.That((await storage.GetTrialsAsync("reals")).Single().HParams["scale"], Is.TypeOf<double>().And.EqualTo(2.0));
    }

    [Test]
    public async Task A_file_from_a_newer_library_or_another_program_is_refused_unchanged()
    {
        string newer = _dir!.Combine("newer.db");
        await (await SqliteStudyStorage.OpenAsync(newer)).DisposeAsync();
        Execute(newer, "UPDATE schema_version SET version = 99");
        string foreign = _dir.Combine("foreign.db");
        Execute(foreign, "CREATE TABLE notes (text TEXT)");

        var tooNew = Assert.ThrowsAsync<StudyStorageSchemaException>(async () => await SqliteStudyStorage.OpenAsync(newer))!;
        var notOurs = Assert.ThrowsAsync<StudyStorageSchemaException>(async () => await SqliteStudyStorage.OpenAsync(foreign))!;
        File.WriteAllText(_dir.Combine("text.db"), "not a database at all, just text that is long enough to be a header");
        var notSqlite = Assert.ThrowsAsync<StudyStorageCorruptException>(async () => await SqliteStudyStorage.OpenAsync(_dir.Combine("text.db")))!;

        Assert.That(tooNew.Message, Does.Contain("schema version 99, newer than this library's (4)").And.Contain(newer));
        Assert.That(notOurs.Message, Does.Contain("not a study storage").And.Contain("notes"));
        Assert.That(notSqlite.Message, Does.Contain("text.db").And.Contain("is damaged or not a database"));
    }

    [Test]
    public async Task A_study_whose_objective_has_a_display_name_loads_again_from_the_file()
    {
        // Regression: the objective read back from the file has no display name, and the load was
        // refused with "the objective is minimize 'branin' there and minimize 'branin' here".
        string path = _dir!.Combine("named.db");
        var metric = new Metric("branin", displayName: "Branin value", datasetType: DatasetType.Validation);
        var definition = new StudyDefinition("named", new HParamsExperiment([Units], [metric]), new Objective(metric, StudyDirection.Minimize));
        await using (SqliteStudyStorage first = await SqliteStudyStorage.OpenAsync(path))
        {
            await first.CreateOrLoadStudyAsync(definition);
        }

        await using SqliteStudyStorage second = await SqliteStudyStorage.OpenAsync(path);
        await second.CreateOrLoadStudyAsync(definition);
        var maximize = definition with { Objective = new Objective(metric, StudyDirection.Maximize) };
        Assert.That(async () => await second.CreateOrLoadStudyAsync(maximize), Throws.InvalidOperationException.With.Message.Contains("the objective is minimize 'branin' there and maximize 'branin' here"));
    }

    [Test]
    public async Task A_file_of_schema_version_1_is_migrated_and_keeps_its_trials()
    {
        string path = _dir!.Combine("v1.db");
        await using (SqliteStudyStorage before = await SqliteStudyStorage.OpenAsync(path))
        {
            await before.CreateOrLoadStudyAsync(Definition());
            int number = await before.CreateTrialAsync("study");
            await before.SetTrialHParamsAsync("study", number, new Dictionary<string, object> { ["units"] = 8, ["rate"] = 0.01 });
            await before.FinishTrialAsync("study", number, TrialOutcome.Complete(0.5));
        }

        // Back to exactly the tables version 1 wrote.
        Execute(path, """
            ALTER TABLE trials DROP COLUMN objective_values; ALTER TABLE trials DROP COLUMN constraint_values;
            DROP INDEX trials_version; DROP INDEX trials_hparams; ALTER TABLE trials DROP COLUMN version; ALTER TABLE studies DROP COLUMN version;
            ALTER TABLE studies DROP COLUMN definition; DROP TABLE trial_attributes; DROP TABLE queued_trials;
            DROP TABLE intermediate_values; CREATE TABLE intermediate_values (study_id INTEGER NOT NULL, number INTEGER NOT NULL, step INTEGER NOT NULL, value REAL NOT NULL, PRIMARY KEY (study_id, number, step));
            UPDATE schema_version SET version = 1
            """);

        await using SqliteStudyStorage after = await SqliteStudyStorage.OpenAsync(path);
        await after.CreateOrLoadStudyAsync(Definition());
        TrialChanges all = await after.GetTrialChangesAsync("study", 0);
        int next = await after.CreateTrialAsync("study");
        TrialChanges moved = await after.GetTrialChangesAsync("study", all.Version);

        Assert.That(all.Trials.Single().Value, Is.EqualTo(0.5));
        Assert.That(moved.Trials.Select(t => t.Number), Is.EqualTo(new[] { next }));
        Assert.That(await after.SetTrialHParamsAsync("study", next, new Dictionary<string, object> { ["units"] = 8, ["rate"] = 0.01 }), Is.False, "the migrated trial's configuration is still taken");
        Assert.That(Scalar(path, "SELECT group_concat(version) FROM schema_version"), Is.EqualTo("1,2,3,4"));
    }

    [Test]
    public async Task Configurations_need_the_study_loaded_through_the_same_object()
    {
        string path = _dir!.Combine("study.db");
        await using (SqliteStudyStorage first = await SqliteStudyStorage.OpenAsync(path))
        {
            await first.CreateOrLoadStudyAsync(Definition());
        }

        await using SqliteStudyStorage second = await SqliteStudyStorage.OpenAsync(path);
        int number = await second.CreateTrialAsync("study");

        Assert.That(async () => await second.SetTrialHParamsAsync("study", number, new Dictionary<string, object> { ["units"] = 8, ["rate"] = 0.01 }), Throws.InvalidOperationException.With.Message.Contains("call CreateOrLoadStudyAsync"));
    }

    [Test]
    [Category(TestCategories.Integration)]
    public async Task Four_processes_on_one_file_number_their_trials_without_gaps_or_repeats()
    {
        string path = _dir!.Combine("shared.db");
        var processes = Enumerable.Range(0, 4).Select(_ => StartChild("sqlite-trials", path, "100")).ToList();
        string[] outputs = await Task.WhenAll(processes.Select(p => p.StandardOutput.ReadToEndAsync()));
        foreach (System.Diagnostics.Process process in processes)
        {
            await process.WaitForExitAsync();
            Assert.That(process.ExitCode, Is.Zero, await process.StandardError.ReadToEndAsync());
            process.Dispose();
        }

        var numbers = outputs.SelectMany(o => o.Split('\n', StringSplitOptions.RemoveEmptyEntries)).Select(int.Parse).ToList();
        await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(path);
        IReadOnlyList<FrozenTrial> trials = await storage.GetTrialsAsync("shared");

        Assert.That(numbers.Order(), Is.EqualTo(Enumerable.Range(1, 400)));
        Assert.That(trials.Select(t => (t.Number, t.State, t.Value)), Is.EqualTo(Enumerable.Range(1, 400).Select(n => (n, TrialState.Complete, (double)n))));
    }

    [Test]
    [Category(TestCategories.Integration)]
    public async Task A_worker_killed_mid_trial_is_failed_by_another_and_every_configuration_finishes_once()
    {
        string path = _dir!.Combine("workers.db");
        string logDir = _dir.Combine("logs");
        var workers = Enumerable.Range(0, 3).Select(_ => StartChild("worker", "grid", $"sqlite://{path}", logDir, "500", "200")).ToList();
        try
        {
            // SIGKILL the first worker inside its first trial: no tell, no more heartbeats.
            while (await workers[0].StandardOutput.ReadLineAsync() is string line && !line.StartsWith("asked", StringComparison.Ordinal))
            {
            }

            await Task.Delay(100);
            workers[0].Kill(entireProcessTree: true);
            foreach (System.Diagnostics.Process survivor in workers.Skip(1))
            {
                string output = await survivor.StandardOutput.ReadToEndAsync();
                await survivor.WaitForExitAsync();
                Assert.That(survivor.ExitCode, Is.Zero, output + await survivor.StandardError.ReadToEndAsync());
            }
        }
        finally
        {
            foreach (System.Diagnostics.Process worker in workers)
            {
                worker.Kill(entireProcessTree: true);
                worker.Dispose();
            }
        }

        await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(path);
        IReadOnlyList<FrozenTrial> trials = await storage.GetTrialsAsync("grid");
        var complete = trials.Where(t => t.State == TrialState.Complete).ToList();
        var sessions = HParamsLogReader.ReadSessions(logDir);
        Assert.That(complete, Has.Count.EqualTo(12));
        Assert.That(complete.Select(t => string.Join("/", t.HParams.OrderBy(p => p.Key).Select(p => p.Value))), Is.Unique);
        var failed = trials.Where(t => t.State == TrialState.Failed).ToList();
        Assert.That(failed.Count(t => t.Error!.StartsWith("worker lost", StringComparison.Ordinal)), Is.EqualTo(1), "the killed worker's trial");
        Assert.That(failed, Has.Count.EqualTo(1), "no trial is created for nothing when the last configuration is taken (it was, failed 'nothing left to propose')");
        Assert.That(trials, Has.Count.EqualTo(13));
        Assert.That(trials.Any(t => t.State == TrialState.Running), Is.False);
        Assert.That(sessions.Select(s => s.HasEnd), Has.All.True, "no session stays running in TensorBoard");
        Assert.That(sessions.Count(s => s.Status == SessionStatus.Success), Is.EqualTo(12));
        Assert.That(LogDirectoryValidator.Validate(logDir).HasErrors, Is.False);
    }

    private static System.Diagnostics.Process StartChild(params string[] arguments)
    {
        var start = new System.Diagnostics.ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(TestContext.CurrentContext.TestDirectory, "HParamsNet.TestStudy.dll"));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return System.Diagnostics.Process.Start(start) ?? throw new InvalidOperationException("Could not start the child process.");
    }

    private static string? Scalar(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar()?.ToString();
    }

    [Test]
    public async Task A_writer_waiting_for_another_process_gives_up_when_cancelled_and_the_gate_stays_sound()
    {
        // Regression: the gate waited in a blocking flock on the caller's thread, uncancellable.
        string db = _dir!.Combine("gate.db");
        using var holder = new SqliteWriteGate(db);
        using var waiter = new SqliteWriteGate(db); // its own open file: as another process's
        SqliteWriteGate.Entered held = await holder.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(150));
        var watch = System.Diagnostics.Stopwatch.StartNew();

        Assert.CatchAsync<OperationCanceledException>(async () => await waiter.EnterAsync(cancel.Token));
        TimeSpan gaveUp = watch.Elapsed;
        held.Dispose();
        using var next = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        SqliteWriteGate.Entered entered = await waiter.EnterAsync(next.Token); // the abandoned wait let its lock go
        entered.Dispose();
        SqliteWriteGate.Entered again = await holder.EnterAsync(next.Token);
        again.Dispose();

        Assert.That(gaveUp, Is.LessThan(TimeSpan.FromSeconds(2)));
    }

    private static void Execute(string path, string sql)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
