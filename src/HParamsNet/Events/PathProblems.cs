namespace HParamsNet.Events;

/// <summary>
/// Turns the operating system's terse refusals ("Could not find a part of the path") into
/// messages that say what is wrong with a path and what to do.
/// </summary>
internal static class PathProblems
{
    // File systems that exist only in the kernel's imagination: nothing can be created in them.
    private static readonly HashSet<string> VirtualFileSystems = new(StringComparer.Ordinal)
    {
        "proc", "sysfs", "devpts", "cgroup", "cgroup2", "debugfs", "securityfs", "tracefs", "pstore", "bpf", "configfs", "fusectl", "mqueue", "binfmt_misc",
    };

    /// <summary>An <see cref="IOException"/> that explains why <paramref name="path"/> cannot be written.</summary>
    /// <param name="path">The directory or file that could not be created.</param>
    /// <param name="what">What it was meant to be, e.g. "log directory".</param>
    /// <param name="cause">The operating system's error.</param>
    public static IOException CannotWrite(string path, string what, Exception cause)
    {
        string full = Path.GetFullPath(path);
        if (BlockingFile(full) is string file)
        {
            return new IOException($"The {what} '{path}' cannot be created: '{file}' is a file, not a directory. Choose a path whose parents are directories.", cause);
        }

        if (FileSystemOf(full) is (string format, string mount) && VirtualFileSystems.Contains(format))
        {
            return new IOException($"The {what} '{path}' is on the virtual '{format}' file system mounted at '{mount}', which cannot hold files. Choose a directory on a disk.", cause);
        }

        if (cause is UnauthorizedAccessException)
        {
            return new IOException($"The {what} '{path}' cannot be written: permission denied ({cause.Message}). Choose a directory you can write to, or change its permissions.", cause);
        }

        return new IOException($"The {what} '{path}' cannot be written: {cause.Message} Check that the disk has room and is writable.", cause);
    }

    // The nearest existing ancestor (or the path itself), if it is a file.
    private static string? BlockingFile(string full)
    {
        for (string? candidate = full; candidate is not null; candidate = Path.GetDirectoryName(candidate))
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }

            if (Directory.Exists(candidate))
            {
                return null;
            }
        }

        return null;
    }

    // The file system type and mount point that hold a path (the longest mount point that is a prefix).
    private static (string Format, string Mount)? FileSystemOf(string full)
    {
        try
        {
            DriveInfo? best = null;
            foreach (DriveInfo drive in DriveInfo.GetDrives())
            {
                string mount = drive.Name.TrimEnd(Path.DirectorySeparatorChar);
                bool contains = mount.Length == 0 || full == mount || full.StartsWith(mount + Path.DirectorySeparatorChar, StringComparison.Ordinal);
                if (contains && (best is null || drive.Name.Length > best.Name.Length))
                {
                    best = drive;
                }
            }

            return best is null ? null : (best.DriveFormat, best.Name);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null; // the mount table is unreadable: fall back to the OS message
        }
    }
}
