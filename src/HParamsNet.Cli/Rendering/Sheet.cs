using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using HParamsNet.Sessions;
using Spectre.Console;

namespace HParamsNet.Cli.Rendering;

/// <summary>
/// A comparison laid out as columns (log directory, group, sessions, status, hparams, then
/// last / best / step of best / std per metric) and rendered as a terminal table, CSV, JSON or
/// Markdown.
/// </summary>
internal sealed class Sheet
{
    private readonly ComparisonTable _table;
    private readonly IReadOnlyList<ComparisonRow> _rows;
    private readonly IReadOnlyList<(string Group, string Tag)> _metrics;
    private readonly bool _multipleLogDirs;

    public Sheet(ComparisonTable table, IReadOnlyList<ComparisonRow> rows, IReadOnlyList<(string Group, string Tag)> metrics)
    {
        _table = table;
        _rows = rows;
        _metrics = metrics;
        _multipleLogDirs = rows.Select(r => r.LogDir).Distinct().Count() > 1;
    }

    public static string Label((string Group, string Tag) metric) => metric.Group.Length == 0 ? metric.Tag : $"{metric.Group}/{metric.Tag}";

    public void WriteTable(TextWriter output)
    {
        IAnsiConsole console = Terminal.Over(output);
        var table = new Table().Border(TableBorder.Rounded);
        if (_multipleLogDirs)
        {
            table.AddColumn("logdir");
        }

        table.AddColumn("group");
        table.AddColumn(new TableColumn("n").RightAligned());
        table.AddColumn("status");
        foreach (string hparam in _table.HParamNames)
        {
            table.AddColumn(hparam);
        }

        foreach ((string, string) metric in _metrics)
        {
            table.AddColumn(new TableColumn($"{Label(metric)} last").RightAligned());
            table.AddColumn(new TableColumn($"{Label(metric)} best (step)").RightAligned());
        }

        foreach (ComparisonRow row in _rows)
        {
            var cells = new List<string>();
            if (_multipleLogDirs)
            {
                cells.Add(row.LogDir);
            }

            cells.Add(row.Name);
            cells.Add(row.Sessions.Count.ToString(CultureInfo.InvariantCulture));
            cells.Add(row.Status);
            cells.AddRange(_table.HParamNames.Select(h => row.HParams.TryGetValue(h, out object? v) ? FormatValue(v) : string.Empty));
            foreach ((string, string) metric in _metrics)
            {
                if (row.Metrics.TryGetValue(metric, out MetricSummary? m))
                {
                    cells.Add(m.Sessions > 1 ? $"{Number(m.Last)} ± {Number(m.Std)}" : Number(m.Last));
                    cells.Add($"{Number(m.Best)} ({m.BestStep})");
                }
                else
                {
                    cells.Add(string.Empty);
                    cells.Add(string.Empty);
                }
            }

            table.AddRow(cells.Select(c => new Text(c)).ToArray());
        }

        console.Write(table);
    }

    public void WriteCsv(TextWriter output)
    {
        var header = new List<string> { "logdir", "group", "sessions", "status" };
        header.AddRange(_table.HParamNames);
        foreach ((string, string) metric in _metrics)
        {
            string label = Label(metric);
            header.AddRange([$"{label}", $"{label}.best", $"{label}.best_step", $"{label}.std", $"{label}.last_step"]);
        }

        output.WriteLine(string.Join(",", header.Select(Csv)));
        foreach (ComparisonRow row in _rows)
        {
            var cells = new List<string> { row.LogDir, row.Name, row.Sessions.Count.ToString(CultureInfo.InvariantCulture), row.Status };
            cells.AddRange(_table.HParamNames.Select(h => row.HParams.TryGetValue(h, out object? v) ? FormatValue(v) : string.Empty));
            foreach ((string, string) metric in _metrics)
            {
                if (row.Metrics.TryGetValue(metric, out MetricSummary? m))
                {
                    cells.AddRange([Exact(m.Last), Exact(m.Best), m.BestStep.ToString(CultureInfo.InvariantCulture), Exact(m.Std), m.LastStep.ToString(CultureInfo.InvariantCulture)]);
                }
                else
                {
                    cells.AddRange(["", "", "", "", ""]);
                }
            }

            output.WriteLine(string.Join(",", cells.Select(Csv)));
        }
    }

    public void WriteJson(TextWriter output)
    {
        var array = new JsonArray();
        foreach (ComparisonRow row in _rows)
        {
            array.Add(RowJson(row));
        }

        output.WriteLine(array.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public JsonObject RowJson(ComparisonRow row)
    {
        var hparams = new JsonObject();
        foreach (string name in _table.HParamNames.Where(row.HParams.ContainsKey))
        {
            hparams[name] = row.HParams[name] switch
            {
                string s => JsonValue.Create(s),
                bool b => JsonValue.Create(b),
                double d => JsonValue.Create(d),
                var other => JsonValue.Create(Convert.ToString(other, CultureInfo.InvariantCulture)),
            };
        }

        var metrics = new JsonObject();
        foreach ((string, string) metric in _metrics)
        {
            if (row.Metrics.TryGetValue(metric, out MetricSummary? m))
            {
                metrics[Label(metric)] = new JsonObject
                {
                    ["last"] = JsonNumber(m.Last),
                    ["last_step"] = m.LastStep,
                    ["best"] = JsonNumber(m.Best),
                    ["best_step"] = m.BestStep,
                    ["std"] = JsonNumber(m.Std),
                    ["sessions"] = m.Sessions,
                };
            }
        }

        return new JsonObject
        {
            ["logdir"] = row.LogDir,
            ["group"] = row.Name,
            ["sessions"] = new JsonArray(row.Sessions.Select(s => (JsonNode)new JsonObject { ["name"] = s.Name, ["status"] = s.Status.ToString() }).ToArray()),
            ["status"] = row.Status,
            ["hparams"] = hparams,
            ["metrics"] = metrics,
        };
    }

    public void WriteMarkdown(TextWriter output)
    {
        var header = new List<string> { "group", "n", "status" };
        header.AddRange(_table.HParamNames);
        header.AddRange(_metrics.SelectMany(m => new[] { $"{Label(m)} last", $"{Label(m)} best (step)" }));
        if (_multipleLogDirs)
        {
            header.Insert(0, "logdir");
        }

        output.WriteLine("| " + string.Join(" | ", header.Select(Md)) + " |");
        output.WriteLine("|" + string.Concat(Enumerable.Repeat("---|", header.Count)));
        foreach (ComparisonRow row in _rows)
        {
            var cells = new List<string> { row.Name, row.Sessions.Count.ToString(CultureInfo.InvariantCulture), row.Status };
            cells.AddRange(_table.HParamNames.Select(h => row.HParams.TryGetValue(h, out object? v) ? FormatValue(v) : string.Empty));
            foreach ((string, string) metric in _metrics)
            {
                cells.AddRange(row.Metrics.TryGetValue(metric, out MetricSummary? m)
                    ? [m.Sessions > 1 ? $"{Number(m.Last)} ± {Number(m.Std)}" : Number(m.Last), $"{Number(m.Best)} ({m.BestStep})"]
                    : ["", ""]);
            }

            if (_multipleLogDirs)
            {
                cells.Insert(0, row.LogDir);
            }

            output.WriteLine("| " + string.Join(" | ", cells.Select(Md)) + " |");
        }
    }

    public static string FormatValue(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty,
    };

    private static string Number(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    // CSV is read back by programs: every digit, so that a value survives the round trip.
    private static string Exact(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static JsonValue JsonNumber(double value) => double.IsFinite(value) ? JsonValue.Create(value) : JsonValue.Create(value.ToString(CultureInfo.InvariantCulture));

    private static string Csv(string cell) =>
        cell.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    private static string Md(string cell) => new StringBuilder(cell).Replace("|", "\\|").ToString();
}
