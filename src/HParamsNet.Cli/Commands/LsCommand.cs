using System.CommandLine;
using System.Globalization;
using HParamsNet.Cli.Rendering;
using HParamsNet.Events;
using HParamsNet.Sessions;
using Spectre.Console;

namespace HParamsNet.Cli.Commands;

/// <summary><c>hparams ls LOGDIR...</c>: what each log directory holds.</summary>
internal static class LsCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string[]> logDirs = LogDirArguments.Many();
        var dashboards = new Option<bool>("--dashboards") { Description = "Also count each run's tags per dashboard (histograms, images, audio, text, PR curves; custom scalars: the layout's charts; projector: the embeddings); reads every event, so it takes longer." };
        var command = new Command("ls", "List experiments and sessions: hparams and metrics declared, sessions and groups, statuses, time span. A storage URL lists its studies.\n\nExamples:\n  hparams ls logs/hparam_tuning logs/grid_search_cv\n  hparams ls sqlite:///home/me/studies.db\n  hparams ls logs/fit --dashboards")
        {
            logDirs,
            dashboards,
        };
        command.SetAction(parse =>
        {
            using StudyInputs? inputs = StudyInputs.Open(parse.GetValue(logDirs) ?? [], context);
            if (inputs is null)
            {
                return LogDirArguments.BadInput;
            }

            IAnsiConsole console = Terminal.Over(context.Output);
            var table = new Table().Border(TableBorder.Rounded).AddColumns("logdir", "runs", "experiment", "sessions", "groups", "statuses", "from", "to");
            var warnings = new ReadWarnings();
            foreach (string dir in inputs.Dirs)
            {
                EventFileReaderOptions options = warnings.Options;
                var experiment = HParamsLogReader.ReadExperiment(dir, options);
                var sessions = HParamsLogReader.ReadSessions(dir, options);
                string declared = experiment is null ? "(inferred)" : $"{experiment.HParams.Count} hparams, {experiment.Metrics.Count} metrics";
                string statuses = string.Join(", ", sessions.GroupBy(s => s.Status).OrderBy(g => g.Key).Select(g => $"{g.Count()} {g.Key}"));
                table.AddRow(
                    new Text(inputs.Label(dir)),
                    new Text(LogDirectory.FindRuns(dir).Count.ToString(CultureInfo.InvariantCulture)),
                    new Text(declared),
                    new Text(sessions.Count.ToString(CultureInfo.InvariantCulture)),
                    new Text(sessions.Select(s => s.GroupName).Distinct().Count().ToString(CultureInfo.InvariantCulture)),
                    new Text(statuses),
                    new Text(sessions.Count == 0 ? string.Empty : Time(sessions.Min(s => s.StartTime))),
                    new Text(sessions.Count == 0 ? string.Empty : Time(sessions.Max(s => Math.Max(s.StartTime, s.EndTime)))));
            }

            console.Write(table);
            if (parse.GetValue(dashboards))
            {
                console.Write(DashboardTable(inputs, warnings.Options));
            }

            warnings.Write(context);
            return 0;
        });
        return command;
    }

    private static readonly string[] DashboardKinds = ["histograms", "images", "audio", "text", "pr_curves", "custom_scalars", "projector"];

    // One row per run that holds any of the other dashboards: its tags per dashboard.
    private static Table DashboardTable(StudyInputs inputs, EventFileReaderOptions options)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns(["logdir", "run", .. DashboardKinds]);
        foreach (string dir in inputs.Dirs)
        {
            foreach (RunDirectory run in LogDirectory.FindRuns(dir))
            {
                IReadOnlyDictionary<string, int> counts = DashboardReader.TagCounts(DashboardReader.Read(run.Path, options));
                if (counts.Values.Any(c => c > 0))
                {
                    table.AddRow([new Text(inputs.Label(dir)), new Text(run.Name), .. DashboardKinds.Select(k => new Text(counts[k].ToString(CultureInfo.InvariantCulture)))]);
                }
            }
        }

        return table;
    }

    private static string Time(double unixSeconds) =>
        UnixTime.FromSeconds(unixSeconds)?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)
        ?? string.Create(CultureInfo.InvariantCulture, $"{unixSeconds} (not a time)"); // a damaged record
}
