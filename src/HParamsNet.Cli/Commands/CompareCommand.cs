using System.CommandLine;
using HParamsNet.Cli.Rendering;

namespace HParamsNet.Cli.Commands;

/// <summary><c>hparams compare LOGDIR...</c>: one row per session group, hparams and metrics side by side.</summary>
internal static class CompareCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string[]> logDirs = LogDirArguments.Many();
        var selection = new RowSelection();
        var format = new Option<string>("--format") { Description = "table (default), csv, json or md.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json", "md");
        var command = new Command("compare", "Compare session groups (or sessions) of one or more log directories: hparams, and per metric the last value (mean ± std over a group's sessions), the best value and its step.\n\nExamples:\n  hparams compare logs/hparam_tuning --metric accuracy --sort --top 5\n  hparams compare logs/a logs/b --where optimizer=adam --format csv")
        {
            logDirs,
            format,
        };
        selection.AddTo(command);
        command.SetAction(parse =>
        {
            using StudyInputs? inputs = StudyInputs.Open(parse.GetValue(logDirs) ?? [], context);
            if (inputs is null)
            {
                return LogDirArguments.BadInput;
            }

            if (selection.Apply(parse, inputs, context, requireMetric: false) is not { } selected)
            {
                return LogDirArguments.BadInput;
            }

            var sheet = new Sheet(selected.Table, selected.Rows, selected.Metrics);
            Write(sheet, parse.GetValue(format) ?? "table", context.Output);
            return 0;
        });
        return command;
    }

    public static void Write(Sheet sheet, string format, TextWriter output)
    {
        switch (format)
        {
            case "csv": sheet.WriteCsv(output); break;
            case "json": sheet.WriteJson(output); break;
            case "md": sheet.WriteMarkdown(output); break;
            default: sheet.WriteTable(output); break;
        }
    }
}
