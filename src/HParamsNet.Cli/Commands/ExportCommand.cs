using System.CommandLine;
using HParamsNet.Cli.Rendering;
using HParamsNet.Events;
using HParamsNet.Sessions;

namespace HParamsNet.Cli.Commands;

/// <summary><c>hparams export LOGDIR --format csv|json|md [-o FILE]</c>: the comparison for spreadsheets and notebooks.</summary>
internal static class ExportCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string> logDir = LogDirArguments.One();
        var format = new Option<string>("--format") { Description = "csv, json or md.", Required = true };
        format.AcceptOnlyFromAmong("csv", "json", "md");
        var outputFile = new Option<string?>("--output", "-o") { Description = "Write to this file instead of standard output; an existing file is not overwritten unless --force." };
        var force = new Option<bool>("--force") { Description = "Overwrite the output file if it exists." };
        var bySession = new Option<bool>("--sessions") { Description = "One row per session instead of per session group." };
        var command = new Command("export", "Export every session group (or session) with its hparams and metrics.\n\nExamples:\n  hparams export logs/grid_search_cv --format csv -o results.csv\n  hparams export logs/hparam_tuning --format json")
        {
            logDir,
            format,
            outputFile,
            force,
            bySession,
        };
        command.SetAction(parse =>
        {
            using StudyInputs? inputs = StudyInputs.Open([parse.GetValue(logDir)!], context, oneStudy: true);
            if (inputs is null)
            {
                return LogDirArguments.BadInput;
            }

            string? path = parse.GetValue(outputFile);
            if (path is not null && OutputProblem(path, parse.GetValue(force)) is string problem)
            {
                context.Error.WriteLine($"hparams: {problem}");
                return LogDirArguments.BadInput;
            }

            var warnings = new ReadWarnings();
            ComparisonTable table = ComparisonTable.Load(inputs.Dirs, parse.GetValue(bySession), lowerIsBetter: null, warnings.Options, inputs.RunsOf).Relabel(inputs.Label);
            warnings.Write(context);
            var sheet = new Sheet(table, table.Rows, table.Metrics);
            if (path is null)
            {
                CompareCommand.Write(sheet, parse.GetValue(format)!, context.Output);
                return 0;
            }

            if (WriteAtomically(path, parse.GetValue(force), writer => CompareCommand.Write(sheet, parse.GetValue(format)!, writer)) is string failure)
            {
                context.Error.WriteLine($"hparams: {failure}");
                return LogDirArguments.BadInput;
            }

            context.Output.WriteLine($"Wrote {table.Rows.Count} rows to {path}");
            return 0;
        });
        return command;
    }

    private static string? OutputProblem(string path, bool force)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            return "--output is empty; give a file path such as results.csv, or leave -o out to print to standard output.";
        }

        if (Directory.Exists(path))
        {
            return $"--output '{path}' is a directory; give a file path such as '{Path.Combine(path, "results.csv")}'.";
        }

        return File.Exists(path) && !force
            ? $"'{path}' exists; nothing was written. Choose another file, or pass --force to overwrite it."
            : null;
    }

    // Written beside the target and renamed over it, so a failure (full disk, no permission)
    // never leaves a half-written file or destroys the one that was there.
    private static string? WriteAtomically(string path, bool force, Action<TextWriter> write)
    {
        string full = Path.GetFullPath(path);
        string staging = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var writer = new StreamWriter(new FileStream(staging, FileMode.CreateNew, FileAccess.Write)))
            {
                write(writer);
            }

            File.Move(staging, full, overwrite: force);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            if (File.Exists(staging))
            {
                File.Delete(staging);
            }

            return File.Exists(full) && !force
                ? $"'{path}' was created by someone else meanwhile; nothing was written. Pass --force to overwrite it."
                : DescribeWriteFailure(full, e);
        }
    }

    private static string DescribeWriteFailure(string full, Exception e)
    {
        string? parent = Path.GetDirectoryName(full);
        if (parent is not null && !Directory.Exists(parent) && !File.Exists(parent))
        {
            return $"directory '{parent}' does not exist; create it first.";
        }

        return PathProblems.CannotWrite(full, "output file", e).Message;
    }
}
