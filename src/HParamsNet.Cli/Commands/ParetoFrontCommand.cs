using System.Text.Json;
using System.Text.Json.Nodes;
using HParamsNet.Cli.Rendering;
using HParamsNet.Sessions;
using HParamsNet.Trials;

namespace HParamsNet.Cli.Commands;

/// <summary>
/// <c>hparams best --pareto</c>: the front of a study with several objectives, from the objectives
/// and constraints its record names; each row is a trial (a session group), its values the last
/// of each objective's metric, complete and feasible rows only.
/// </summary>
internal static class ParetoFrontCommand
{
    public static int Write(StudyInputs inputs, bool json, CliContext context)
    {
        string dir = inputs.Dirs[0];
        if (HParamsLogReader.ReadStudyRecord(dir) is not { } record)
        {
            context.Error.WriteLine($"hparams: '{inputs.Label(dir)}' records no study definition, so its objectives are unknown; --pareto needs a study tuned by HParamsNet (its log directory or storage).");
            return LogDirArguments.BadInput;
        }

        ComparisonTable table = ComparisonTable.Load([dir]).Relabel(inputs.Label);
        List<(string Group, string Tag)> objectives = [.. record.Objectives.Select(o => (o.Metric.Group, o.Metric.Tag))];
        List<(string Group, string Tag)> constraints = [.. record.Constraints.Select(c => (c.Group, c.Tag))];
        var candidates = table.Rows
            .Where(r => r.Sessions.All(s => s.Status == SessionStatus.Success) && objectives.Concat(constraints).All(r.Metrics.ContainsKey))
            .Where(r => constraints.All(c => r.Metrics[c].Last <= 0))
            .ToList();
        double[][] losses = [.. candidates.Select(r => record.Objectives.Select((o, i) => o.Direction == StudyDirection.Minimize ? r.Metrics[objectives[i]].Last : -r.Metrics[objectives[i]].Last).ToArray())];
        var front = Pareto.Front(losses).Select(i => candidates[i]).OrderBy(r => r.Metrics[objectives[0]].Last * (record.Objectives[0].Direction == StudyDirection.Minimize ? 1 : -1)).ToList();
        if (front.Count == 0)
        {
            context.Error.WriteLine($"hparams: '{inputs.Label(dir)}' has no complete, feasible trial yet, so no front.");
            return 1;
        }

        var sheet = new Sheet(table, front, [.. objectives, .. constraints]);
        if (json)
        {
            context.Output.WriteLine(new JsonArray([.. front.Select(r => (JsonNode)sheet.RowJson(r))]).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            return 0;
        }

        context.Output.WriteLine($"Pareto front of study '{record.Name}': {front.Count} of {table.Rows.Count} trials ({string.Join(", ", record.Objectives.Select(o => $"{o.Direction.ToString().ToLowerInvariant()} {Sheet.Label((o.Metric.Group, o.Metric.Tag))}"))}{(constraints.Count > 0 ? $"; feasible when {string.Join(", ", constraints.Select(Sheet.Label))} <= 0" : "")})");
        sheet.WriteTable(context.Output);
        return 0;
    }
}
