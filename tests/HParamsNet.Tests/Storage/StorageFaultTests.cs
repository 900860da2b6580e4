using HParamsNet;
using HParamsNet.Storage;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;
using Npgsql;

namespace HParamsNet.Tests.Storage;

/// <summary>
/// A storage that fails under a study: each cause one exception type, its message naming the file
/// or host, port and database (never a password) and what to do; nothing written into a file
/// nobody can find, nothing created by a reader.
/// </summary>
public class StorageFaultTests
{
    private static readonly HParam Units = new("units", new Discrete(8, 16, 32));
    private static readonly Metric Accuracy = new("accuracy");

    private static StudyDefinition Definition(string name = "study") => new(name, new HParamsExperiment([Units], [Accuracy]), new Objective(Accuracy, StudyDirection.Maximize));

    private static Dictionary<string, object> Config(int units) => new() { ["units"] = units };

    [Test]
    public async Task A_sqlite_file_removed_under_a_running_study_stops_it_naming_the_file_and_is_never_made_again_empty()
    {
        // Regression: rm of the database under 4 workers; they finished 300 trials into the
        // unlinked file, then the launcher created a new empty file and the study was gone.
        using var dir = new TempDirectory();
        string db = dir.Combine("study.db");
        await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(db);
        await storage.CreateOrLoadStudyAsync(Definition());
        int running = (await storage.CreateTrialAsync("study", Config(8)))!.Value;

        File.Delete(db);
        var removed = Assert.ThrowsAsync<StudyStorageReplacedException>(async () => await storage.FinishTrialAsync("study", running, TrialOutcome.Complete(0.5)))!;
        var reading = Assert.ThrowsAsync<StudyStorageReplacedException>(async () => await storage.GetTrialsAsync("study"))!;
        var reader = Assert.ThrowsAsync<StudyStorageUnavailableException>(async () => await SqliteStudyStorage.OpenExistingAsync(db))!;

        Assert.That(removed.Message, Does.Contain($"'{db}' was removed while the study used it").And.Contain("Stop the workers"));
        Assert.That(reading.Message, Does.Contain(db));
        Assert.That(reader.Message, Does.Contain($"There is no SQLite study storage '{db}'").And.Contain("nothing was created"));
        Assert.That(File.Exists(db), Is.False, "no operation made the file again, empty");
    }

    [Test]
    public async Task A_sqlite_file_replaced_by_another_stops_the_study()
    {
        using var dir = new TempDirectory();
        string db = dir.Combine("study.db");
        await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(db);
        await storage.CreateOrLoadStudyAsync(Definition());
        await (await SqliteStudyStorage.OpenAsync(dir.Combine("other.db"))).DisposeAsync();

        File.Move(dir.Combine("other.db"), db, overwrite: true);

        var replaced = Assert.ThrowsAsync<StudyStorageReplacedException>(async () => await storage.CreateTrialAsync("study", Config(8)))!;
        Assert.That(replaced.Message, Does.Contain($"'{db}' was replaced by another file"));
    }

    [Test]
    public async Task A_sqlite_file_damaged_behind_the_study_is_reported_as_damaged_naming_it()
    {
        using var dir = new TempDirectory();
        string db = dir.Combine("study.db");
        await using (SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(db))
        {
            await storage.CreateOrLoadStudyAsync(Definition());
            for (int units = 0; units < 40; units++)
            {
                int number = await storage.CreateTrialAsync("study");
                await storage.SetTrialHParamsAsync("study", number, Config(8));
                await storage.FinishTrialAsync("study", number, TrialOutcome.Failed(new string('x', 500)));
            }
        }

        // Past the first page (the header), every page overwritten: what a bad disk or a stray write leaves.
        byte[] bytes = await File.ReadAllBytesAsync(db);
        for (int i = 4096; i < bytes.Length; i++)
        {
            bytes[i] = (byte)(i * 7);
        }

        await File.WriteAllBytesAsync(db, bytes);
        File.Delete(db + "-wal");

        var damaged = Assert.CatchAsync<StudyStorageException>(async () =>
        {
            await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenExistingAsync(db);
            _ = await storage.GetTrialsAsync("study");
        })!;

        Assert.That(damaged, Is.TypeOf<StudyStorageCorruptException>());
        Assert.That(damaged.Message, Does.Contain(db).And.Contain("is damaged or not a database").And.Contain("Restore it"));
    }

    [Test]
    public async Task A_postgresql_database_that_does_not_exist_and_a_bad_schema_name_are_said_never_the_password()
    {
        string url = TestPostgres.Url;
        var builder = PostgresUrl.Parse(url);
        string noDatabase = $"postgresql://{builder.Username}:{builder.Password}@{builder.Host}:{builder.Port}/no_such_database_{Guid.NewGuid():N}";

        var missing = Assert.ThrowsAsync<StudyStorageUnavailableException>(async () => await PostgresStudyStorage.OpenExistingAsync(noDatabase))!;
        var badSchema = Assert.Throws<ArgumentException>(() => StudyStorageUrl.Parse($"{url}?schema=a;b"))!;

        Assert.That(missing.Message, Does.Contain($"on {builder.Host}:{builder.Port}").And.Contain("does not exist").And.Contain("createdb"));
        Assert.That(missing.Message, Does.Not.Contain(builder.Password!));
        Assert.That(badSchema.Message, Does.Contain("schema 'a;b' must be letters, digits and underscores"));
    }

    [Test]
    public async Task A_postgresql_schema_with_capitals_is_created_and_used_as_named()
    {
        // Regression: ?schema=MySchema was created quoted, then not found (3F000): an unquoted
        // search path folds to lower case.
        string schema = "Mixed" + Guid.NewGuid().ToString("N")[..8];
        try
        {
            await using IStudyStorage storage = await StudyStorageUrl.Parse($"{TestPostgres.Url}?schema={schema}").OpenAsync();
            await storage.CreateOrLoadStudyAsync(Definition());
            Assert.That(await storage.CreateTrialAsync("study", Config(8)), Is.EqualTo(1));
        }
        finally
        {
            await TestPostgres.DropAsync([schema]);
        }
    }

    [Test]
    public async Task A_postgresql_role_without_the_rights_and_a_server_that_ends_the_connections_are_said_as_such()
    {
        string schema = TestPostgres.NewSchema();
        try
        {
            await using PostgresStudyStorage storage = await PostgresStudyStorage.OpenAsync(TestPostgres.Url, schema);
            await storage.CreateOrLoadStudyAsync(Definition());
            int running = (await storage.CreateTrialAsync("study", Config(8)))!.Value;

            // An administrator ends every connection of the storage's role (what a server restart does to them).
            await ExecuteAsync(schema, $"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '{PostgresStudyStorage.ApplicationName(schema)}'");
            var outage = Assert.CatchAsync<StudyStorageException>(async () => await storage.FinishTrialAsync("study", running, TrialOutcome.Complete(0.5)))!;
            Assert.That(await storage.FinishTrialAsync("study", running, TrialOutcome.Complete(0.5)), Is.True, "once the server answers again, the same call goes through");

            // The owner takes its own right to write trials away: a role without the privileges.
            await ExecuteAsync(schema, "REVOKE INSERT, UPDATE ON trials FROM current_user");
            var refused = Assert.ThrowsAsync<StudyStorageAccessException>(async () => await storage.CreateTrialAsync("study", Config(16)))!;

            Assert.That(outage, Is.TypeOf<StudyStorageUnavailableException>());
            Assert.That(outage.Message, Does.Contain("PostgreSQL database").And.Contain("57P01").And.Contain("Start it again"));
            Assert.That(refused.Message, Does.Contain("refused").And.Contain("42501").And.Contain("Grant the role"));
        }
        finally
        {
            await TestPostgres.DropAsync([schema]);
        }
    }

    [Test]
    public async Task A_postgresql_password_comes_from_pgpassword_or_a_passfile_and_none_at_all_says_where_to_give_it()
    {
        // Regression: a URL without a password was "failed: No password has been provided ...
        // Check that the server runs" (the server was running).
        Assert.That(Environment.GetEnvironmentVariable("PGPASSWORD"), Is.Null, "the test runs without PGPASSWORD (which Npgsql would use first)");
        NpgsqlConnectionStringBuilder given = PostgresUrl.Parse(TestPostgres.Url);
        using var dir = new TempDirectory();
        string passfile = dir.Combine("pgpass");
        await File.WriteAllTextAsync(passfile, $"{given.Host}:{given.Port}:{given.Database}:{given.Username}:{given.Password}\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(passfile, UnixFileMode.UserRead | UnixFileMode.UserWrite); // as libpq wants it
        }

        string empty = dir.Combine("empty");
        await File.WriteAllTextAsync(empty, string.Empty);
        string Without(string passfile) =>
            new NpgsqlConnectionStringBuilder { Host = given.Host, Port = given.Port, Database = given.Database, Username = given.Username, Passfile = passfile }.ToString();
        string schema = TestPostgres.NewSchema();
        try
        {
            var none = Assert.ThrowsAsync<StudyStorageAccessException>(async () => await PostgresStudyStorage.OpenAsync(Without(empty), schema))!;
            var missing = Assert.ThrowsAsync<StudyStorageAccessException>(async () => await PostgresStudyStorage.OpenAsync(Without(dir.Combine("missing")), schema))!;
            await using (PostgresStudyStorage fromFile = await PostgresStudyStorage.OpenAsync(Without(passfile), schema))
            {
                await fromFile.CreateOrLoadStudyAsync(Definition());
            }

            Assert.That(none.Message, Does.Contain($"on {given.Host}:{given.Port} asks for a password and none was given").And.Contain("PGPASSWORD").And.Contain("~/.pgpass"));
            Assert.That(missing.Message, Does.Contain(dir.Combine("missing")).And.Contain("PGPASSFILE"));
        }
        finally
        {
            await TestPostgres.DropAsync([schema]);
        }
    }

    [Test]
    public async Task A_study_whose_storage_lost_it_is_refused_on_the_log_directory_that_holds_its_trials()
    {
        // Regression: after the database was removed, a restarted worker made a fresh study and
        // wrote trial-0001 again into the log directory that held the lost study's 300 trials.
        using var dir = new TempDirectory();
        StudyOptions Options(IStudyStorage storage) => new()
        {
            Storage = storage,
            Name = "study",
            Space = [Units],
            Objective = new Objective(Accuracy, StudyDirection.Maximize),
            LogDir = dir.Combine("logs"),
            Strategy = new GridSearch(),
        };
        await using (SqliteStudyStorage first = await SqliteStudyStorage.OpenAsync(dir.Combine("study.db")))
        await using (Study study = await Study.CreateOrLoadAsync(Options(first)))
        {
            for (int i = 0; i < 2; i++)
            {
                Trial trial = (await study.AskAsync())!;
                await study.TellAsync(trial, 0.5);
            }
        }

        File.Delete(dir.Combine("study.db"));
        await using SqliteStudyStorage fresh = await SqliteStudyStorage.OpenAsync(dir.Combine("study.db"));
        var refused = Assert.ThrowsAsync<InvalidOperationException>(async () => await Study.CreateOrLoadAsync(Options(fresh)))!;

        Assert.That(refused.Message, Does.Contain("holds trial-0002 of study 'study', but the storage has 0 trial(s) of it").And.Contain("nothing was written"));
        Assert.That(Directory.EnumerateDirectories(dir.Combine("logs"), "trial-*").Count(), Is.EqualTo(2));
    }

    [Test]
    public async Task Two_studies_on_one_log_directory_are_refused_naming_both()
    {
        // Regression: studies C1 and C2 with equal spaces silently shared a log directory.
        using var dir = new TempDirectory();
        await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(dir.Combine("study.db"));
        StudyOptions Options(string name) => new()
        {
            Storage = storage,
            Name = name,
            Space = [Units],
            Objective = new Objective(Accuracy, StudyDirection.Maximize),
            LogDir = dir.Combine("logs"),
            Strategy = new GridSearch(),
        };
        await using Study first = await Study.CreateOrLoadAsync(Options("C1"));

        var second = Assert.ThrowsAsync<InvalidOperationException>(async () => await Study.CreateOrLoadAsync(Options("C2")))!;

        Assert.That(second.Message, Does.Contain("holds study 'C1'").And.Contain("Give study 'C2' its own log directory"));
    }

    private static async Task ExecuteAsync(string schema, string sql)
    {
        NpgsqlConnectionStringBuilder builder = PostgresUrl.Parse(TestPostgres.Url);
        builder.SearchPath = schema;
        builder.Pooling = false;
        await using var connection = new NpgsqlConnection(builder.ToString());
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
