using HParamsNet;
using HParamsNet.Storage;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;
using HParamsNet.Tuning.Storage;

namespace HParamsNet.Tests.Storage;

/// <summary>
/// The contract on the PostgreSQL store, each storage in a schema of its own. The server comes
/// from HPARAMSNET_POSTGRES_URL, which .ci/run exports after starting a cluster: in CI these tests
/// never skip; elsewhere they are ignored, saying how to run them.
/// </summary>
[Category(TestCategories.Integration)]
public class PostgresStudyStorageTests : StudyStorageContract
{
    private readonly List<string> _schemas = [];

    private static string Url => TestPostgres.Url;

    protected override async ValueTask<IStudyStorage> CreateStorageAsync()
    {
        string schema = TestPostgres.NewSchema();
        _schemas.Add(schema);
        return await PostgresStudyStorage.OpenAsync(Url, schema);
    }

    [TearDown]
    public async Task DropSchemas()
    {
        if (_schemas.Count > 0)
        {
            await TestPostgres.DropAsync(_schemas);
            _schemas.Clear();
        }
    }

    [Test]
    public void An_unreachable_server_fails_fast_naming_host_port_and_database_never_the_password()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.ThrowsAsync<StudyStorageUnavailableException>(async () => await PostgresStudyStorage.OpenAsync("postgresql://someone:s3cret-pw@127.0.0.1:1/studies"))!;

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(error.Message, Does.Contain("PostgreSQL database 'studies' on 127.0.0.1:1").And.Not.Contain("s3cret-pw"));
    }

    [Test]
    public async Task Tables_of_schema_version_1_are_migrated_and_tables_of_a_newer_library_refused()
    {
        string schema = TestPostgres.NewSchema();
        _schemas.Add(schema);
        await using (PostgresStudyStorage before = await PostgresStudyStorage.OpenAsync(Url, schema))
        {
            await before.CreateOrLoadStudyAsync(Definition());
            int number = await before.CreateTrialAsync("study");
            await before.FinishTrialAsync("study", number, TrialOutcome.Complete(0.5));
        }

        // Back to exactly the tables version 1 wrote.
        await ExecuteAsync(schema, """
            ALTER TABLE trials DROP COLUMN objective_values; ALTER TABLE trials DROP COLUMN constraint_values;
            DROP INDEX trials_version; DROP INDEX trials_hparams; ALTER TABLE trials DROP COLUMN version; ALTER TABLE studies DROP COLUMN version;
            ALTER TABLE studies DROP COLUMN definition; DROP TABLE trial_attributes; DROP TABLE queued_trials;
            ALTER TABLE intermediate_values DROP CONSTRAINT intermediate_values_pkey; ALTER TABLE intermediate_values DROP COLUMN fold; ALTER TABLE intermediate_values ADD PRIMARY KEY (study_id, number, step);
            UPDATE schema_version SET version = 1
            """);
        await using (PostgresStudyStorage after = await PostgresStudyStorage.OpenAsync(Url, schema))
        {
            await after.CreateOrLoadStudyAsync(Definition());
            TrialChanges all = await after.GetTrialChangesAsync("study", 0);
            int next = await after.CreateTrialAsync("study");

            Assert.That(all.Trials.Single().Value, Is.EqualTo(0.5));
            Assert.That((await after.GetTrialChangesAsync("study", all.Version)).Trials.Select(t => t.Number), Is.EqualTo(new[] { next }));
        }

        await ExecuteAsync(schema, "INSERT INTO schema_version (version) VALUES (99)");
        var tooNew = Assert.ThrowsAsync<StudyStorageSchemaException>(async () => await PostgresStudyStorage.OpenAsync(Url, schema))!;
        Assert.That(tooNew.Message, Does.Contain($"schema '{schema}'").And.Contain("schema version 99, newer than this library's (4)").And.Not.Contain("password="));
    }

    private static async Task ExecuteAsync(string schema, string sql)
    {
        var builder = PostgresUrl.Parse(Url);
        builder.SearchPath = schema;
        await using var connection = new Npgsql.NpgsqlConnection(builder.ToString());
        await connection.OpenAsync();
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    [Test]
    public void A_malformed_url_is_refused_without_repeating_it()
    {
        var error = Assert.ThrowsAsync<ArgumentException>(async () => await PostgresStudyStorage.OpenAsync("postgresql://user:pw@host:5432"))!;

        Assert.That(error.Message, Does.Contain("postgresql://user:password@host:5432/database").And.Not.Contain("pw@host"));
    }
}
