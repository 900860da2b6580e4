namespace HParamsNet.Examples;

/// <summary>Where an example writes, without ever overwriting an earlier run's results.</summary>
internal static class ExampleLogDirectory
{
    /// <summary>
    /// The log directory from the first argument, or <c>logs/{name}</c> under the current
    /// directory. If it already holds results, they are moved aside to
    /// <c>{dir}.previous-{timestamp}</c> (kept, not deleted) so that TensorBoard shows one
    /// experiment per directory.
    /// </summary>
    public static string Prepare(string[] args, string name)
    {
        string logDir = Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine("logs", name));
        if (Directory.Exists(logDir) && Directory.EnumerateFileSystemEntries(logDir).Any())
        {
            if (InUse(logDir) is string lockFile)
            {
                // Moving a running study's directory away would split its record in two.
                Console.Error.WriteLine($"{logDir} is in use by a study that is still running (it holds {lockFile}); wait for it to finish, or pass another log directory as the first argument.");
                Environment.Exit(2);
            }

            string aside = $"{logDir}.previous-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
            Directory.Move(logDir, aside);
            Console.WriteLine($"Moved the earlier results in {logDir} to {aside}.");
        }

        Directory.CreateDirectory(logDir);
        return logDir;
    }

    // A study lock file below the directory that another process holds (the OS frees it when that process ends).
    private static string? InUse(string logDir)
    {
        foreach (string lockFile in Directory.EnumerateFiles(logDir, ".hparamsnet.lock", SearchOption.AllDirectories))
        {
            try
            {
                using var probe = new FileStream(lockFile, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                return lockFile;
            }
        }

        return null;
    }
}
