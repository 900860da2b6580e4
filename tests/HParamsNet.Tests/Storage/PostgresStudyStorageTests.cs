using HParamsNet;
using HParamsNet.Storage;

namespace HParamsNet.Tests.Storage;

/// <summary>
/// The contract on the PostgreSQL store, each storage in a schema of its own. The server comes
/// from HPARAMSNET_POSTGRES_URL, which .ci/run exports after starting a cluster: in CI these tests
/// never skip; elsewhere they are ignored, saying how to run them.
/// </summary>
public class PostgresStudyStorageTests : StudyStorageContract
{
    private readonly List<string> _schemas = [];

    private static string Url
    {
        get
        {
            string? url = Environment.GetEnvironmentVariable("HPARAMSNET_POSTGRES_URL");
            if (string.IsNullOrEmpty(url))
            {
                if (Environment.GetEnvironmentVariable("CI") == "true")
                {
                    Assert.Fail("HPARAMSNET_POSTGRES_URL is not set: .ci/run starts PostgreSQL and exports it; CI never skips these tests.");
                }

                Assert.Ignore("Set HPARAMSNET_POSTGRES_URL (bash .ci/postgres.sh prints one) to run the PostgreSQL storage tests.");
            }

            return url!;
        }
    }

    protected override async ValueTask<IStudyStorage> CreateStorageAsync()
    {
        string schema = $"t_{Guid.NewGuid():N}";
        _schemas.Add(schema);
        return await PostgresStudyStorage.OpenAsync(Url, schema);
    }

    [TearDown]
    public async Task DropSchemas()
    {
        if (_schemas.Count == 0)
        {
            return;
        }

        await using var connection = new Npgsql.NpgsqlConnection(PostgresUrl.Parse(Url).ToString());
        await connection.OpenAsync();
        foreach (string schema in _schemas)
        {
            await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }

        _schemas.Clear();
    }

    [Test]
    public void An_unreachable_server_fails_fast_naming_host_port_and_database_never_the_password()
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var error = Assert.ThrowsAsync<IOException>(async () => await PostgresStudyStorage.OpenAsync("postgresql://someone:s3cret-pw@127.0.0.1:1/studies"))!;

        Assert.That(watch.Elapsed, Is.LessThan(TimeSpan.FromSeconds(10)));
        Assert.That(error.Message, Does.Contain("PostgreSQL database 'studies' on 127.0.0.1:1").And.Not.Contain("s3cret-pw"));
    }

    [Test]
    public void A_malformed_url_is_refused_without_repeating_it()
    {
        var error = Assert.ThrowsAsync<ArgumentException>(async () => await PostgresStudyStorage.OpenAsync("postgresql://user:pw@host:5432"))!;

        Assert.That(error.Message, Does.Contain("postgresql://user:password@host:5432/database").And.Not.Contain("pw@host"));
    }
}
