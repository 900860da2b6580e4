using System.Net.Sockets;
using HParamsNet.Tuning.Storage;
using Npgsql;

namespace HParamsNet.Storage;

/// <summary>What PostgreSQL's and Npgsql's errors mean for a study storage, in words that name host, port and database (never the password) and say what to do.</summary>
internal static class PostgresFailures
{
    /// <summary>The storage's exception for a failure of the database described by <paramref name="where"/>; <see langword="null"/> for one that is not the storage's.</summary>
    public static StudyStorageException? Translate(Exception failure, string where) => failure switch
    {
        StudyStorageException => null, // said already
        PostgresException e => Translate(e, where),
        NpgsqlException e when e.InnerException is SocketException or TimeoutException or IOException or EndOfStreamException
            => new StudyStorageUnavailableException($"The {where} cannot be reached: {e.InnerException!.Message} Check that the server runs and accepts connections at that host and port; the workers can start again once it does.", e),
        // Npgsql has no type or code for this one, only its words.
        NpgsqlException e when e.Message.StartsWith("No password has been provided", StringComparison.Ordinal)
            => new StudyStorageAccessException($"The {where} asks for a password and none was given. Set PGPASSWORD, or put it in a passfile (~/.pgpass, or the file PGPASSFILE names), or in the URL (which then shows in `ps`).", e),
        NpgsqlException e => new StudyStorageUnavailableException($"The {where} failed: {e.Message} Check that the server runs; the workers can start again once it does.", e),
        FileNotFoundException e => new StudyStorageAccessException($"The {where} cannot be logged into: {e.Message} Check the file the connection names (PGPASSFILE or Passfile for the password, or an SSL certificate).", e),
        TimeoutException e => new StudyStorageUnavailableException($"The {where} did not answer in time: {e.Message}", e),
        InvalidDataException e => new StudyStorageCorruptException($"The {where}: {e.Message}", e),
        _ => null,
    };

    private static StudyStorageException Translate(PostgresException e, string where) => e.SqlState switch
    {
        // 57P01 admin_shutdown, 57P02 crash_shutdown, 57P03 cannot_connect_now, class 08: connection exceptions, 53: insufficient resources.
        "57P01" or "57P02" or "57P03" or "53300" => new StudyStorageUnavailableException($"The {where} went away ({e.SqlState}: {e.MessageText}). Start it again, then the workers: the study goes on where it was.", e),
        _ when e.SqlState.StartsWith("08", StringComparison.Ordinal) || e.SqlState.StartsWith("53", StringComparison.Ordinal)
            => new StudyStorageUnavailableException($"The {where} failed ({e.SqlState}: {e.MessageText}). Check the server, then start the workers again.", e),
        "3D000" => new StudyStorageUnavailableException($"The {where} does not exist ({e.MessageText}). Create it (createdb -O USER DATABASE) or fix the URL's database.", e),
        "28P01" or "28000" => new StudyStorageAccessException($"The {where} refused the login ({e.SqlState}: {e.MessageText}). Check the user, and the password (the URL, PGPASSWORD or ~/.pgpass).", e),
        "42501" => new StudyStorageAccessException($"The {where} refused: {e.MessageText} ({e.SqlState}). Grant the role the rights on the storage's schema and tables (or create the storage as that role).", e),
        "25006" => new StudyStorageAccessException($"The {where} is read-only ({e.MessageText}). Use a primary server, not a standby.", e),
        "3F000" => new StudyStorageSchemaException($"The {where} has no schema that the storage needs ({e.MessageText}).", e),
        "XX001" or "XX002" => new StudyStorageCorruptException($"The {where} reports damaged data ({e.SqlState}: {e.MessageText}). Restore it from a backup.", e),
        _ => new StudyStorageException($"The {where} failed ({e.SqlState}: {e.MessageText}).", e),
    };
}
