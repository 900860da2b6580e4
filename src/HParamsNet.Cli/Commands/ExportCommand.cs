using System.CommandLine;
using HParamsNet.Cli.Rendering;

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
            string dir = parse.GetValue(logDir)!;
            if (!LogDirArguments.Check([dir], context.Error))
            {
                return LogDirArguments.BadInput;
            }

            string? path = parse.GetValue(outputFile);
            if (path is not null && File.Exists(path) && !parse.GetValue(force))
            {
                context.Error.WriteLine($"hparams: '{path}' exists; nothing was written. Choose another file, or pass --force to overwrite it.");
                return LogDirArguments.BadInput;
            }

            ComparisonTable table = ComparisonTable.Load([dir], parse.GetValue(bySession), options: new EventFileReaderOptions { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile });
            var sheet = new Sheet(table, table.Rows, table.Metrics);
            if (path is null)
            {
                CompareCommand.Write(sheet, parse.GetValue(format)!, context.Output);
                return 0;
            }

            using (var writer = new StreamWriter(path))
            {
                CompareCommand.Write(sheet, parse.GetValue(format)!, writer);
            }

            context.Output.WriteLine($"Wrote {table.Rows.Count} rows to {path}");
            return 0;
        });
        return command;
    }
}
