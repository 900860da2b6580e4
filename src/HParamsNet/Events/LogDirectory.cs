namespace HParamsNet;

/// <summary>A run: a directory that directly holds at least one event file.</summary>
/// <param name="Name">The run's name as TensorBoard shows it: the path relative to the log directory, "." for the log directory itself.</param>
/// <param name="Path">The run directory.</param>
public sealed record RunDirectory(string Name, string Path);

/// <summary>Finds the runs of a log directory as TensorBoard does.</summary>
public static class LogDirectory
{
    /// <summary>
    /// Every directory at or below <paramref name="logDir"/> that directly holds an event file,
    /// sorted by run name (ordinal).
    /// </summary>
    /// <param name="logDir">The log directory.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist; the message names it.</exception>
    public static IReadOnlyList<RunDirectory> FindRuns(string logDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDir);
        if (!Directory.Exists(logDir))
        {
            throw new DirectoryNotFoundException($"Log directory '{logDir}' does not exist; pass the directory given to TensorBoard's --logdir.");
        }

        string root = Path.GetFullPath(logDir);
        var runs = new List<RunDirectory>();
        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = 0 };
        IEnumerable<string> directories = Directory.EnumerateDirectories(root, "*", options).Prepend(root);
        foreach (string directory in directories)
        {
            if (Directory.EnumerateFiles(directory).Any(EventFileNames.IsEventFile))
            {
                string relative = Path.GetRelativePath(root, directory);
                runs.Add(new RunDirectory(relative, directory));
            }
        }

        runs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return runs;
    }
}
