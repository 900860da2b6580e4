using System.CommandLine;
using HParamsNet.Events;

namespace HParamsNet.Cli.Commands;

/// <summary>The LOGDIR arguments every command takes, and their checks.</summary>
internal static class LogDirArguments
{
    /// <summary>Exit code for input that cannot be read.</summary>
    public const int BadInput = 2;

    public static Argument<string[]> Many() => new("LOGDIR")
    {
        Description = "TensorBoard log directories (what you pass to tensorboard --logdir).",
        Arity = ArgumentArity.OneOrMore,
    };

    public static Argument<string> One() => new("LOGDIR")
    {
        Description = "A TensorBoard log directory (what you pass to tensorboard --logdir).",
    };

    /// <summary>The runs of a readable log directory; null, with a message written, for any other path.</summary>
    public static LogDirectoryScan? Check(string logDir, TextWriter error)
    {
        (string? problem, LogDirectoryScan? scan) = Problem(logDir, error);
        if (problem is not null)
        {
            error.WriteLine($"hparams: {problem}");
        }

        return scan;
    }

    private static (string? Problem, LogDirectoryScan? Scan) Problem(string logDir, TextWriter error)
    {
        if (File.Exists(logDir))
        {
            return (EventFileNames.IsEventFile(logDir)
                ? $"'{logDir}' is an event file; pass the directory that holds the runs (TensorBoard's --logdir), e.g. '{Path.GetDirectoryName(Path.GetFullPath(logDir))}'."
                : $"'{logDir}' is a file, not a log directory. Pass the directory you give tensorboard --logdir.", null);
        }

        if (!Directory.Exists(logDir))
        {
            return (logDir.StartsWith('-')
                ? $"unknown option '{logDir}'. Run the command with --help for its options."
                : $"log directory '{logDir}' does not exist.", null);
        }

        LogDirectoryScan scan = LogDirectory.Scan(logDir);
        foreach (SkippedDirectory skipped in scan.Skipped)
        {
            error.WriteLine($"hparams: warning: skipped '{skipped.Path}': it {skipped.Reason}.");
        }

        return scan.Runs.Count == 0
            ? ($"'{logDir}' holds no TensorBoard event files (no file name contains 'tfevents'): nothing to read. Check the path.", null)
            : (null, scan);
    }
}
