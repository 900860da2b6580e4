using System.Globalization;
using System.Net;
using HParamsNet.Events;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// Keeps a second process (or a second tuner in this one) off a study's log directory while a
/// study runs there: an exclusive lock on a file in it, which the operating system releases when
/// its holder exits or is killed, so a crash never leaves a stale lock behind.
/// </summary>
/// <remarks>
/// .NET takes the lock with <c>flock(LOCK_EX)</c> on Unix and a share-none handle on Windows.
/// Who holds it (host, pid, since when) is written to a second file, because a locked file
/// cannot be read by the process that is refused.
/// </remarks>
internal sealed class LogDirectoryLock : IDisposable
{
    /// <summary>The lock file's name; TensorBoard ignores it (no "tfevents" in it).</summary>
    public const string FileName = ".hparamsnet.lock";

    /// <summary>The file that says who holds the lock.</summary>
    public const string HolderFileName = ".hparamsnet.holder";

    private readonly FileStream _lock;

    private LogDirectoryLock(FileStream handle) => _lock = handle;

    /// <summary>Takes the lock of <paramref name="logDir"/>, creating the directory if needed.</summary>
    /// <exception cref="InvalidOperationException">Another process holds it; the message names it.</exception>
    /// <exception cref="IOException">The directory cannot be created or written; the message says why.</exception>
    public static LogDirectoryLock Acquire(string logDir, TimeProvider time)
    {
        string path = Path.Combine(logDir, FileName);
        FileStream handle;
        try
        {
            Directory.CreateDirectory(logDir);
            handle = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 1);
        }
        catch (IOException e) when (IsHeldElsewhere(e))
        {
            throw new InvalidOperationException(
                $"Log directory '{logDir}' is in use by another study process ({DescribeHolder(logDir)}). Two processes on one log directory would run trials twice and hide each other's results; wait for it to finish or stop it, or use another log directory. Nothing was changed.",
                e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw PathProblems.CannotWrite(logDir, "log directory", e);
        }

        try
        {
            string holder = string.Create(CultureInfo.InvariantCulture, $"host {Dns.GetHostName()}, pid {Environment.ProcessId}, since {time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC");
            string staging = Path.Combine(logDir, $"{HolderFileName}.{Environment.ProcessId}.tmp");
            File.WriteAllText(staging, holder);
            File.Move(staging, Path.Combine(logDir, HolderFileName), overwrite: true);
        }
        catch
        {
            handle.Dispose();
            throw;
        }

        return new LogDirectoryLock(handle);
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _lock.Dispose();

    // A sharing violation: EWOULDBLOCK from flock on Linux (11) and macOS (35), ERROR_SHARING_VIOLATION on Windows.
    private static bool IsHeldElsewhere(IOException e) => e.HResult is 11 or 35 || (e.HResult & 0xFFFF) == 32;

    private static string DescribeHolder(string logDir)
    {
        try
        {
            return File.ReadAllText(Path.Combine(logDir, HolderFileName)).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "holder unknown: it has not said who it is yet";
        }
    }
}
