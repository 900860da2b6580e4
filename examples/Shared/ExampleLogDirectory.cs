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
            string aside = $"{logDir}.previous-{DateTime.UtcNow:yyyyMMdd-HHmmss}";
            Directory.Move(logDir, aside);
            Console.WriteLine($"Moved the earlier results in {logDir} to {aside}.");
        }

        Directory.CreateDirectory(logDir);
        return logDir;
    }
}
