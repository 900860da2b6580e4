namespace HParamsNet.Tests.Support;

/// <summary>
/// The PostgreSQL server of the tests: HPARAMSNET_POSTGRES_URL, which .ci/run exports after
/// starting a cluster. In CI a test that needs it fails without it (never skips); elsewhere it is
/// ignored, saying how to run it.
/// </summary>
public static class TestPostgres
{
    public static string Url
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

                Assert.Ignore("Set HPARAMSNET_POSTGRES_URL (bash .ci/postgres.sh prints one) to run the PostgreSQL tests.");
            }

            return url!;
        }
    }

    /// <summary>A schema name no other test uses.</summary>
    public static string NewSchema() => $"t_{Guid.NewGuid():N}";

    /// <summary>Drops schemas a test created.</summary>
    public static async Task DropAsync(IEnumerable<string> schemas)
    {
        await using var connection = new Npgsql.NpgsqlConnection(HParamsNet.Storage.PostgresUrl.Parse(Url).ToString());
        await connection.OpenAsync();
        foreach (string schema in schemas)
        {
            await using var drop = new Npgsql.NpgsqlCommand($"DROP SCHEMA IF EXISTS \"{schema}\" CASCADE", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }
}
