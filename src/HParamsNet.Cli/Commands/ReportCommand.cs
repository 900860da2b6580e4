using System.CommandLine;
using HParamsNet.Reports;
using HParamsNet.Sessions;

namespace HParamsNet.Cli.Commands;

/// <summary><c>hparams report SOURCE... [-o report.html]</c>: one self-contained HTML page with the study's plots.</summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string[]> sources = LogDirArguments.Many();
        var selection = new RowSelection();
        var output = new Option<string>("--output", "-o") { Description = "The HTML file to write (a new file; nothing is overwritten).", DefaultValueFactory = _ => "report.html" };
        var title = new Option<string?>("--title") { Description = "The page's title (default: the sources' names)." };
        var command = new Command("report", "Write a study report: one HTML file that opens offline, with the summary, optimisation history, hparam importances (PED-ANOVA), parallel coordinates, slices, intermediate values and the sortable trials table. Several sources are drawn side by side.\n\nExamples:\n  hparams report logs/quickstart -o quickstart.html\n  hparams report logs/a logs/b --metric validation/accuracy --maximize\n  hparams report sqlite:///home/me/studies.db#digits -o digits.html")
        {
            sources,
            output,
            title,
        };
        selection.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            using StudyInputs? inputs = StudyInputs.Open(parse.GetValue(sources) ?? [], context);
            if (inputs is null)
            {
                return LogDirArguments.BadInput;
            }

            if (selection.Apply(parse, inputs, context, requireMetric: false) is not { } selected)
            {
                return LogDirArguments.BadInput;
            }

            if (selected.Metrics.Count == 0)
            {
                context.Error.WriteLine($"hparams: {string.Join(", ", inputs.Dirs.Select(inputs.Label))} has no metric (no scalar series and no hparams config): nothing to report.");
                return LogDirArguments.BadInput;
            }

            (string Group, string Tag) metric = selected.Chosen ?? selected.Metrics[0];
            var options = new ReportOptions
            {
                Title = parse.GetValue(title) ?? $"Study report: {string.Join(", ", inputs.Dirs.Select(d => Path.GetFileName(inputs.Label(d).TrimEnd('/'))))}",
                Objective = new Metric(metric.Tag, metric.Group),
                Direction = selected.Minimize ? StudyDirection.Minimize : StudyDirection.Maximize,
                Space = StudyReport.DeclaredSpace(inputs.Dirs),
            };

            // A study with several objectives, as its record says: the page draws its front.
            if (inputs.Dirs.Select(HParamsLogReader.ReadStudyRecord).FirstOrDefault(r => r is { Objectives.Count: > 1 }) is { } record)
            {
                options = options with { Objectives = record.Objectives, Constraints = record.Constraints };
            }

            StudyReport report = StudyReport.Create(selected.Table, options, selected.Rows);
            string path = Path.GetFullPath(parse.GetValue(output)!);
            try
            {
                await report.WriteAsync(path, cancellationToken).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                context.Error.WriteLine($"hparams: {e.Message}");
                return LogDirArguments.BadInput;
            }

            context.Output.WriteLine($"Wrote {path} ({new FileInfo(path).Length / 1024} KiB): {selected.Rows.Count} trials, objective {(metric.Group.Length == 0 ? metric.Tag : $"{metric.Group}/{metric.Tag}")} ({(selected.Minimize ? "minimised" : "maximised")}). Open it in a browser; it needs no server.");
            return 0;
        });
        return command;
    }
}
