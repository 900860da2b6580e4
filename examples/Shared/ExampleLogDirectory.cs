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
        // Its one argument is the log directory: an option, or more than one argument, is a mistake said with the usage.
        if (args.Length > 1 || (args.Length == 1 && args[0].StartsWith('-')))
        {
            string project = System.Reflection.Assembly.GetEntryAssembly()?.GetName().Name ?? "the example";
            Console.Error.WriteLine($"Usage: dotnet run -c Release --project examples/{project} [LOGDIR]");
            Console.Error.WriteLine($"  LOGDIR  where the study's TensorBoard log directory goes (default: logs/{name}); earlier results there are moved aside, never overwritten.");
            Console.Error.WriteLine(args.Length > 1 ? $"It takes one argument; got {args.Length}." : $"Unknown option '{args[0]}'.");
            Environment.Exit(2);
        }

        return Prepare(Path.GetFullPath(args.Length > 0 ? args[0] : Path.Combine("logs", name)), moveAside: true);
    }

    /// <summary>
    /// Creates <paramref name="logDir"/>; with <paramref name="moveAside"/>, earlier results in it are
    /// moved aside first. A directory that workers of a shared study write together is not moved.
    /// </summary>
    public static string Prepare(string logDir, bool moveAside)
    {
        if (moveAside && Directory.Exists(logDir) && Directory.EnumerateFileSystemEntries(logDir).Any())
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
