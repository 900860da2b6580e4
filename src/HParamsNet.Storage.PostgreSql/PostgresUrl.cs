using Npgsql;

namespace HParamsNet.Storage;

/// <summary>
/// Reads <c>postgresql://user:password@host:port/database</c> (the form Optuna and SQLAlchemy users
/// know) into an Npgsql connection string. The password goes into the connection string only:
/// <see cref="Describe"/> is what messages and logs show.
/// </summary>
internal static class PostgresUrl
{
    public static NpgsqlConnectionStringBuilder Parse(string urlOrConnectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(urlOrConnectionString);
        if (!urlOrConnectionString.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            && !urlOrConnectionString.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            return new NpgsqlConnectionStringBuilder(urlOrConnectionString); // an ADO.NET connection string
        }

        if (!Uri.TryCreate(urlOrConnectionString, UriKind.Absolute, out Uri? url) || url.AbsolutePath.Trim('/').Length == 0)
        {
            throw new ArgumentException("A PostgreSQL storage URL has the form postgresql://user:password@host:5432/database; the one given is not of that form (it is not repeated here: it may hold a password).", nameof(urlOrConnectionString));
        }

        string[] credentials = url.UserInfo.Split(':', 2);
        return new NpgsqlConnectionStringBuilder
        {
            Host = url.Host,
            Port = url.IsDefaultPort || url.Port <= 0 ? 5432 : url.Port,
            Database = Uri.UnescapeDataString(url.AbsolutePath.Trim('/')),
            Username = credentials[0].Length == 0 ? null : Uri.UnescapeDataString(credentials[0]),
            Password = credentials.Length > 1 ? Uri.UnescapeDataString(credentials[1]) : null,
        };
    }

    /// <summary>Host, port and database: what a message may say about a connection.</summary>
    public static string Describe(NpgsqlConnectionStringBuilder builder) => $"PostgreSQL database '{builder.Database}' on {builder.Host}:{builder.Port}";
}
