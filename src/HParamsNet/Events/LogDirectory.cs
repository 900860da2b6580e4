using System.IO.Enumeration;

namespace HParamsNet.Events;

/// <summary>A run: a directory that directly holds at least one event file.</summary>
/// <param name="Name">The run's name as TensorBoard shows it: the path relative to the log directory, "." for the log directory itself.</param>
/// <param name="Path">The run directory.</param>
public sealed record RunDirectory(string Name, string Path);

/// <summary>A directory that run discovery did not enter, and why.</summary>
/// <param name="Path">The directory (as found below the log directory).</param>
/// <param name="Reason">Why it was skipped.</param>
public sealed record SkippedDirectory(string Path, string Reason);

/// <summary>The runs of a log directory, and the directories that were not entered.</summary>
/// <param name="Runs">Runs, sorted by name (ordinal).</param>
/// <param name="Skipped">Symbolic links that lead back into the walk (loops) and unreadable directories.</param>
public sealed record LogDirectoryScan(IReadOnlyList<RunDirectory> Runs, IReadOnlyList<SkippedDirectory> Skipped);

/// <summary>Finds the runs of a log directory as TensorBoard does.</summary>
public static class LogDirectory
{
    // Symbolic links are followed, as TensorBoard follows them; this many in a row is a cycle.
    private const int MaxLinkHops = 40;

    private static readonly EnumerationOptions OneLevel = new() { RecurseSubdirectories = false, IgnoreInaccessible = false, AttributesToSkip = 0 };

    /// <summary>
    /// Every directory at or below <paramref name="logDir"/> that directly holds an event file,
    /// sorted by run name (ordinal).
    /// </summary>
    /// <param name="logDir">The log directory.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist; the message names it.</exception>
    public static IReadOnlyList<RunDirectory> FindRuns(string logDir) => Scan(logDir).Runs;

    /// <summary>
    /// The runs of <paramref name="logDir"/> (see <see cref="FindRuns"/>), and what was skipped:
    /// symbolic links are followed, except those that lead to a directory the walk is already
    /// in (a loop), and unreadable directories are passed over.
    /// </summary>
    /// <param name="logDir">The log directory.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist; the message names it.</exception>
    public static LogDirectoryScan Scan(string logDir)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDir);
        if (!Directory.Exists(logDir))
        {
            throw new DirectoryNotFoundException($"Log directory '{logDir}' does not exist; pass the directory given to TensorBoard's --logdir.");
        }

        string root = Path.GetFullPath(logDir);
        var runs = new List<RunDirectory>();
        var skipped = new List<SkippedDirectory>();

        // Level by level: the directories of a level are listed on every core when there are many
        // (a study's thousands of session directories sit side by side), and the result is sorted,
        // so the order of the walk never shows.
        List<Visited> level = [new Visited(root, RealPath(root) ?? root)];
        while (level.Count > 0)
        {
            var visits = new DirectoryVisit[level.Count];
            if (level.Count >= ParallelFrom)
            {
                Parallel.For(0, level.Count, i => visits[i] = Visit(root, level[i]));
            }
            else
            {
                for (int i = 0; i < level.Count; i++)
                {
                    visits[i] = Visit(root, level[i]);
                }
            }

            level = [];
            foreach (DirectoryVisit visit in visits)
            {
                if (visit.Run is not null)
                {
                    runs.Add(visit.Run);
                }

                skipped.AddRange(visit.Skipped);
                level.AddRange(visit.Children);
            }
        }

        runs.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        skipped.Sort((a, b) => string.CompareOrdinal(a.Path, b.Path));
        return new LogDirectoryScan(runs, skipped);
    }

    // Below this many directories side by side, listing them on one thread is quicker than
    // handing them out.
    private const int ParallelFrom = 64;

    private readonly record struct Entry(string Name, bool IsDirectory, bool IsLink);

    // A directory to list: as found below the log directory, and with its links resolved (to
    // recognise a link back into the walk).
    private readonly record struct Visited(string Path, string RealPath);

    private sealed record DirectoryVisit(RunDirectory? Run, List<Visited> Children, List<SkippedDirectory> Skipped);

    // One directory: whether it is a run, the directories to enter below it, and those skipped.
    private static DirectoryVisit Visit(string root, Visited directory)
    {
        var children = new List<Visited>();
        var skipped = new List<SkippedDirectory>();
        List<Entry> entries;
        try
        {
            // Names and kinds straight from the directory listing, no FileInfo per entry.
            entries = [.. new FileSystemEnumerable<Entry>(
                directory.Path,
                static (ref FileSystemEntry e) => new Entry(e.FileName.ToString(), e.IsDirectory, e.IsDirectory && (e.Attributes & FileAttributes.ReparsePoint) != 0),
                OneLevel)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            skipped.Add(new SkippedDirectory(directory.Path, $"cannot be read: {e.Message}"));
            return new DirectoryVisit(null, children, skipped);
        }

        RunDirectory? run = entries.Exists(e => !e.IsDirectory && EventFileNames.IsEventFile(e.Name))
            ? new RunDirectory(Path.GetRelativePath(root, directory.Path), directory.Path)
            : null;
        foreach (Entry child in entries)
        {
            if (!child.IsDirectory)
            {
                continue;
            }

            string childPath = Path.Join(directory.Path, child.Name);
            if (!child.IsLink || new DirectoryInfo(childPath).LinkTarget is null)
            {
                children.Add(new Visited(childPath, Path.Join(directory.RealPath, child.Name)));
                continue;
            }

            string? target = RealPath(childPath);
            if (target is null)
            {
                skipped.Add(new SkippedDirectory(childPath, "is a symbolic link that cannot be resolved (a cycle of links, or a missing target)"));
            }
            else if (IsSameOrAncestor(target, directory.RealPath))
            {
                skipped.Add(new SkippedDirectory(childPath, $"is a symbolic link to '{target}', which holds this directory: following it would loop"));
            }
            else
            {
                children.Add(new Visited(childPath, target));
            }
        }

        return new DirectoryVisit(run, children, skipped);
    }


    private static bool IsSameOrAncestor(string candidate, string path) =>
        path == candidate
        || path.StartsWith(candidate.EndsWith(Path.DirectorySeparatorChar) ? candidate : candidate + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    // The path with every symbolic link resolved, component by component; null for a cycle of
    // links or a dangling one. (.NET resolves only a path's last component.)
    private static string? RealPath(string path)
    {
        string full = Path.GetFullPath(path);
        string resolved = Path.GetPathRoot(full) ?? string.Empty;
        var rest = new Queue<string>(full[resolved.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries));
        for (int hops = 0; rest.TryDequeue(out string? part);)
        {
            string candidate = Path.Join(resolved, part);
            string? link = new FileInfo(candidate).LinkTarget;
            if (link is null)
            {
                resolved = candidate;
                continue;
            }

            if (++hops > MaxLinkHops)
            {
                return null;
            }

            // Continue from the link's target, then the components that followed the link.
            string target = Path.GetFullPath(link, resolved);
            string targetRoot = Path.GetPathRoot(target) ?? string.Empty;
            var next = new Queue<string>(target[targetRoot.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries).Concat(rest));
            rest = next;
            resolved = targetRoot;
        }

        return Directory.Exists(resolved) ? resolved : null;
    }
}
