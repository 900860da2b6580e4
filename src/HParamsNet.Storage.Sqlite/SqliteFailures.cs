using HParamsNet.Tuning.Storage;
using Microsoft.Data.Sqlite;

namespace HParamsNet.Storage;

/// <summary>What SQLite's errors mean for a study storage, in words that name the file and say what to do.</summary>
internal static class SqliteFailures
{
    // SQLite's primary result codes (https://sqlite.org/rescode.html).
    private const int Perm = 3;
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoErr = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int Auth = 23;
    private const int NotADb = 26;

    /// <summary>The storage's exception for a failure of the file at <paramref name="path"/>; <see langword="null"/> for one that is not the storage's (an argument, a usage error).</summary>
    public static StudyStorageException? Translate(Exception failure, string path) => failure switch
    {
        StudyStorageException => null, // said already
        SqliteException e => Translate(e, path),
        UnauthorizedAccessException e => new StudyStorageAccessException($"SQLite study storage '{path}': {e.Message} Check that the file and its directory can be written by this user (SQLite writes its -wal and -shm files beside it).", e),
        InvalidDataException e => new StudyStorageCorruptException($"SQLite study storage '{path}': {e.Message}", e),
        _ => null,
    };

    /// <summary>
    /// The operating system's own words for why the file cannot be opened for writing (a read-only
    /// disk, a permission), or <see langword="null"/> when it can: SQLite says only "unable to open".
    /// </summary>
    private static string? WhyNotWritable(string path)
    {
        try
        {
            using FileStream probe = new(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    private static StudyStorageException Translate(SqliteException e, string path)
    {
        string where = $"SQLite study storage '{path}'";
        return (e.SqliteErrorCode & 0xFF) switch
        {
            CantOpen when !File.Exists(path) => new StudyStorageUnavailableException($"{where} does not exist (it was removed, or the path is wrong). Check the path; a storage is created only by the first worker's create-or-load, nothing was created.", e),
            CantOpen when WhyNotWritable(path) is { } why => new StudyStorageAccessException($"{where} cannot be written: {why} Make the file and its directory writable (SQLite writes its -wal and -shm files beside it); nothing was written.", e),
            CantOpen or Perm or Auth => new StudyStorageAccessException($"{where} cannot be opened: {e.Message} Check that the file and its directory can be read and written by this user.", e),
            ReadOnly => new StudyStorageAccessException($"{where} is read-only: {e.Message} Make the file and its directory writable (SQLite writes its -wal and -shm files beside it); nothing was written.", e),
            Corrupt or NotADb => new StudyStorageCorruptException($"{where} is damaged or not a database: {e.Message} Restore it from a copy (`sqlite3 FILE .recover` may save its rows into a new file); nothing was written.", e),
            Full => new StudyStorageUnavailableException($"{where}: the disk holding it is full. Free space, then run the workers again; nothing was lost that had been written.", e),
            Busy or Locked => new StudyStorageUnavailableException($"{where} stayed locked by another program for longer than the busy timeout: {e.Message} Close the program that holds it.", e),
            IoErr => new StudyStorageUnavailableException($"{where}: an I/O error: {e.Message} Check the disk.", e),
            _ => new StudyStorageException($"{where}: {e.Message}", e),
        };
    }
}
