using HParamsNet.Tuning.Storage;

namespace HParamsNet.Storage;

/// <summary>
/// A storage URL, read once: which store, and where. <c>sqlite:///absolute/path/study.db</c> (the
/// path after <c>sqlite://</c>, as in a file URL), <c>postgresql://user:password@host:5432/database</c>
/// (or <c>postgres://</c>) with an optional <c>?schema=name</c>. <see cref="ToString"/> never shows
/// a password.
/// </summary>
public sealed class StudyStorageUrl
{
    private readonly string _url;

    private StudyStorageUrl(StudyStorageKind kind, string url, string shown)
    {
        Kind = kind;
        _url = url;
        Shown = shown;
    }

    /// <summary>Which store the URL names.</summary>
    public StudyStorageKind Kind { get; }

    /// <summary>For SQLite: the database file's full path.</summary>
    public string? Path { get; private init; }

    /// <summary>For PostgreSQL: the schema of the tables (<c>public</c> unless <c>?schema=</c> says otherwise).</summary>
    public string Schema { get; private init; } = "public";

    private string Shown { get; }

    /// <summary>Whether <paramref name="text"/> is a storage URL rather than, say, a log directory.</summary>
    /// <param name="text">A command-line argument.</param>
    public static bool Looks(string text) =>
        text is not null && (text.StartsWith("sqlite:", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase)
            || text.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads a storage URL.</summary>
    /// <param name="url">The URL.</param>
    /// <exception cref="ArgumentException">Not a storage URL of a known form; the message shows the forms (and never the password).</exception>
    public static StudyStorageUrl Parse(string url)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        if (url.StartsWith("sqlite://", StringComparison.OrdinalIgnoreCase))
        {
            string path = Uri.UnescapeDataString(url["sqlite://".Length..]);
            if (!path.StartsWith('/') && !(path.Length > 2 && path[2] == ':'))
            {
                throw new ArgumentException($"Storage URL '{url}': the path after sqlite:// must be absolute, as in sqlite:///home/me/study.db (three slashes: none for a host, then the path).", nameof(url));
            }

            // "sqlite:///C:/x.db" on Windows: the drive follows the third slash.
            string full = System.IO.Path.GetFullPath(path.Length > 3 && path[2] == ':' && path[0] == '/' ? path[1..] : path);
            return new StudyStorageUrl(StudyStorageKind.Sqlite, url, $"sqlite://{full}") { Path = full };
        }

        if (url.StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase) || url.StartsWith("postgres://", StringComparison.OrdinalIgnoreCase))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? parsed))
            {
                throw new ArgumentException("A PostgreSQL storage URL has the form postgresql://user:password@host:5432/database[?schema=name]; the one given is not of that form (it is not repeated here: it may hold a password).", nameof(url));
            }

            string schema = "public";
            foreach (string pair in parsed.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = pair.Split('=', 2);
                schema = parts[0] == "schema" && parts.Length == 2 && parts[1].Length > 0
                    ? Uri.UnescapeDataString(parts[1])
                    : throw new ArgumentException($"PostgreSQL storage URL parameter '{parts[0]}' is not known; the one parameter is ?schema=name.", nameof(url));
            }

            if (!System.Text.RegularExpressions.Regex.IsMatch(schema, "^[A-Za-z_][A-Za-z0-9_]*$"))
            {
                throw new ArgumentException($"PostgreSQL storage URL: schema '{schema}' must be letters, digits and underscores, starting with a letter or underscore (?schema=studies).", nameof(url));
            }

            string user = parsed.UserInfo.Split(':', 2)[0];
            string shown = $"{parsed.Scheme}://{(user.Length > 0 ? user + "@" : string.Empty)}{parsed.Host}:{(parsed.IsDefaultPort || parsed.Port <= 0 ? 5432 : parsed.Port)}{parsed.AbsolutePath}{(schema == "public" ? string.Empty : "?schema=" + schema)}";
            string withoutQuery = parsed.GetLeftPart(UriPartial.Path);
            return new StudyStorageUrl(StudyStorageKind.PostgreSql, withoutQuery, shown) { Schema = schema };
        }

        throw new ArgumentException($"'{(url.Contains('@', StringComparison.Ordinal) ? "(not repeated: it may hold a password)" : url)}' is not a storage URL. Use sqlite:///absolute/path/study.db or postgresql://user:password@host:5432/database.", nameof(url));
    }

    /// <summary>Opens the storage (creating the SQLite file or the PostgreSQL tables when missing).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="StudyStorageException">The database cannot be reached, opened or used (its type says why); the message names it.</exception>
    public async Task<IStudyStorage> OpenAsync(CancellationToken cancellationToken = default) => Kind switch
    {
        StudyStorageKind.Sqlite => await SqliteStudyStorage.OpenAsync(Path!, cancellationToken: cancellationToken).ConfigureAwait(false),
        _ => await PostgresStudyStorage.OpenAsync(_url, Schema, cancellationToken).ConfigureAwait(false),
    };

    /// <summary>Opens a storage that exists, creating nothing: what a reader (the <c>hparams</c> tool) wants.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="StudyStorageException">There is no such file or storage, or the database cannot be reached (its type says why); the message names it.</exception>
    public async Task<IStudyStorage> OpenExistingAsync(CancellationToken cancellationToken = default) => Kind switch
    {
        StudyStorageKind.Sqlite => await SqliteStudyStorage.OpenExistingAsync(Path!, cancellationToken).ConfigureAwait(false),
        _ => await PostgresStudyStorage.OpenExistingAsync(_url, Schema, cancellationToken).ConfigureAwait(false),
    };

    /// <summary>The URL without its password: what logs and messages show.</summary>
    public override string ToString() => Shown;
}

/// <summary>The stores a <see cref="StudyStorageUrl"/> can name.</summary>
public enum StudyStorageKind
{
    /// <summary>A SQLite file: several processes on one machine.</summary>
    Sqlite,

    /// <summary>A PostgreSQL database: workers on many machines.</summary>
    PostgreSql,
}
