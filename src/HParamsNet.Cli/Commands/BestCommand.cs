using System.CommandLine;
using System.Text.Json;
using HParamsNet.Cli.Rendering;
using HParamsNet.Sessions;

namespace HParamsNet.Cli.Commands;

/// <summary><c>hparams best LOGDIR --metric TAG [--minimize]</c>: the best configuration.</summary>
internal static class BestCommand
{
    public static Command Create(CliContext context)
    {
        Argument<string> logDir = LogDirArguments.One();
        var selection = new RowSelection();
        var json = new Option<bool>("--json") { Description = "Print the best row as JSON (for scripts)." };
        var pareto = new Option<bool>("--pareto") { Description = "The Pareto front of a study with several objectives (as it recorded them): the complete, feasible rows no other such row beats in every objective." };
        var command = new Command("best", "The best session group by a metric's last value (mean over the group's sessions), as a table or JSON.\n\nExamples:\n  hparams best logs/hparam_tuning --metric accuracy\n  hparams best logs/study --metric loss --minimize --json\n  hparams best sqlite:///study.db#tradeoff --pareto")
        {
            logDir,
            json,
            pareto,
        };
        selection.AddTo(command);
        command.SetAction(parse =>
        {
            using StudyInputs? inputs = StudyInputs.Open([parse.GetValue(logDir)!], context, oneStudy: true);
            if (inputs is null)
            {
                return LogDirArguments.BadInput;
            }

            if (parse.GetValue(pareto))
            {
                return ParetoFrontCommand.Write(inputs, parse.GetValue(json), context);
            }

            if (selection.Apply(parse, inputs, context, requireMetric: true) is not { } selected)
            {
                return LogDirArguments.BadInput;
            }

            (string Group, string Tag) metric = selected.Chosen!.Value;
            ComparisonRow? best = selected.Table.Best(new Metric(metric.Tag, metric.Group), selected.Minimize ? StudyDirection.Minimize : StudyDirection.Maximize, selected.Where);
            if (best is null)
            {
                context.Error.WriteLine($"hparams: no session in '{inputs.Label(inputs.Dirs[0])}' reports '{Sheet.Label(metric)}'.");
                return 1;
            }

            var sheet = new Sheet(selected.Table, [best], [metric]);
            if (parse.GetValue(json))
            {
                context.Output.WriteLine(sheet.RowJson(best).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                sheet.WriteTable(context.Output);
            }

            return 0;
        });
        return command;
    }
}
