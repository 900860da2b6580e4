using System.CommandLine;
using System.Globalization;
using HParamsNet.Cli.Rendering;
using HParamsNet.Events;
using HParamsNet.Sessions;

namespace HParamsNet.Cli.Commands;

/// <summary>The options that choose and order rows: --metric, --where, --sort, --top, --minimize/--maximize, --sessions.</summary>
internal sealed class RowSelection
{
    public Option<string?> Metric { get; } = new("--metric") { Description = "The metric to sort by and choose the best with: its tag, or group/tag (e.g. validation/epoch_accuracy). Only this metric's columns are shown." };

    public Option<string[]> Where { get; } = new("--where") { Description = "Keep rows whose hparam has this value, e.g. --where optimizer=adam (repeatable; all must hold).", AllowMultipleArgumentsPerToken = false };

    public Option<bool> Sort { get; } = new("--sort") { Description = "Sort rows best first by the metric's last value (mean over a group's sessions)." };

    public Option<int?> Top { get; } = new("--top") { Description = "Show only the first N rows (after sorting)." };

    public Option<bool> Minimize { get; } = new("--minimize") { Description = "Lower is better for the metric (default: the direction the study recorded for its objective; else guessed from the name: loss, error, mae, mse, perplexity, nll, latency and times are minimised)." };

    public Option<bool> Maximize { get; } = new("--maximize") { Description = "Higher is better for the metric." };

    public Option<bool> BySession { get; } = new("--sessions") { Description = "One row per session instead of per session group (cross-validation folds)." };

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { Metric, Where, Sort, Top, Minimize, Maximize, BySession })
        {
            command.Options.Add(option);
        }
    }

    /// <summary>Loads, filters and orders; null (with a message) when the input is wrong.</summary>
    public (ComparisonTable Table, List<ComparisonRow> Rows, List<(string Group, string Tag)> Metrics, (string Group, string Tag)? Chosen, bool Minimize, IReadOnlyDictionary<string, object> Where)? Apply(ParseResult parse, StudyInputs inputs, CliContext context, bool requireMetric)
    {
        string? metricName = parse.GetValue(Metric);
        if (parse.GetValue(Minimize) && parse.GetValue(Maximize))
        {
            context.Error.WriteLine("hparams: --minimize and --maximize contradict each other; pass one of them.");
            return null;
        }

        if (parse.GetValue(Top) is < 1 and int badTop)
        {
            context.Error.WriteLine($"hparams: --top {badTop}: give the number of rows to show, 1 or more.");
            return null;
        }

        bool? minimize = parse.GetValue(Minimize) ? true : parse.GetValue(Maximize) ? false : null;
        List<Objective> recorded = RecordedObjectives(inputs, context);
        Func<string, bool> direction = tag =>
            metricName is not null && minimize is bool forced && MatchesTag(metricName, tag) ? forced
            : recorded.FirstOrDefault(o => o.Metric.Tag == tag) is { } objective ? objective.Direction == StudyDirection.Minimize
            : ComparisonTable.LowerIsBetter(tag);
        var warnings = new ReadWarnings();
        ComparisonTable table = ComparisonTable.Load(inputs.Dirs, parse.GetValue(BySession), direction, warnings.Options, inputs.RunsOf).Relabel(inputs.Label);
        warnings.Write(context);

        var metrics = table.Metrics.ToList();
        (string Group, string Tag)? chosen = null;
        if (metricName is not null)
        {
            int at = metrics.FindIndex(m => Sheet.Label(m) == metricName);
            at = at >= 0 ? at : metrics.FindIndex(m => m.Tag == metricName);
            if (at < 0)
            {
                context.Error.WriteLine($"hparams: no metric '{metricName}' in {string.Join(", ", inputs.Dirs.Select(inputs.Label))}; metrics: {string.Join(", ", metrics.Select(Sheet.Label))}.");
                return null;
            }

            chosen = metrics[at];
            metrics = [chosen.Value];
        }
        else if (requireMetric)
        {
            context.Error.WriteLine($"hparams: say which metric with --metric; metrics: {string.Join(", ", metrics.Select(Sheet.Label))}.");
            return null;
        }

        var where = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (string condition in parse.GetValue(Where) ?? [])
        {
            int equals = condition.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                context.Error.WriteLine($"hparams: --where '{condition}' is not of the form name=value.");
                return null;
            }

            string name = condition[..equals];
            if (!table.HParamNames.Contains(name))
            {
                context.Error.WriteLine($"hparams: --where names hparam '{name}', which no session has; hparams: {string.Join(", ", table.HParamNames)}.");
                return null;
            }

            where[name] = table.ParseHParamValue(name, condition[(equals + 1)..]);
        }

        // Without --metric, the objective the studies recorded, when they agree on one.
        (string Group, string Tag)? objectiveMetric = recorded.Select(o => (o.Metric.Group, o.Metric.Tag)).Distinct().Count() == 1 && metrics.Contains((recorded[0].Metric.Group, recorded[0].Metric.Tag))
            ? (recorded[0].Metric.Group, recorded[0].Metric.Tag)
            : null;
        (string Group, string Tag) sortBy = chosen ?? objectiveMetric ?? metrics.FirstOrDefault();
        bool lower = sortBy != default && direction(sortBy.Tag);
        var rows = table.Select(new ComparisonQuery
        {
            Where = where,
            RankBy = parse.GetValue(Sort) && sortBy != default ? new Metric(sortBy.Tag, sortBy.Group) : null,
            Direction = lower ? StudyDirection.Minimize : StudyDirection.Maximize,
            Top = parse.GetValue(Top),
        }).ToList();

        return (table, rows, metrics, chosen ?? (requireMetric ? null : objectiveMetric), lower, where);
    }

    // What the inputs' studies recorded about their objectives; a damaged record is said and left out.
    private static List<Objective> RecordedObjectives(StudyInputs inputs, CliContext context)
    {
        var objectives = new List<Objective>();
        foreach (string dir in inputs.Dirs)
        {
            try
            {
                if (HParamsLogReader.ReadStudyRecord(dir) is { } record)
                {
                    objectives.Add(record.Objective);
                }
            }
            catch (FormatException e)
            {
                context.Error.WriteLine($"hparams: warning: '{inputs.Label(dir)}': {e.Message} Directions are guessed from the metrics' names.");
            }
        }

        return objectives;
    }

    private static bool MatchesTag(string metricName, string tag) => metricName == tag || metricName.EndsWith("/" + tag, StringComparison.Ordinal);
}
