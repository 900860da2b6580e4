using HParamsNet.Reports.Importance;
using HParamsNet.Sessions;

namespace HParamsNet.Reports;

/// <summary>
/// A study report: the summary, optimisation history, parallel coordinates, slices, hparam
/// importances, intermediate values and the trials table of one or more sources, as one HTML page
/// that opens offline (scripts, styles and data inlined; no server, no CDN). Built from the core's
/// <see cref="ComparisonTable"/>, so it reads what <c>hparams compare</c> reads.
/// </summary>
public sealed class StudyReport
{
    private StudyReport(ReportOptions options, Metric objective, StudyDirection direction, IReadOnlyList<HParamAxis> axes, IReadOnlyList<ReportSource> sources)
    {
        Options = options;
        Objective = objective;
        Direction = direction;
        Axes = axes;
        Sources = sources;
    }

    /// <summary>The metric the report ranks by.</summary>
    public Metric Objective { get; }

    /// <summary>Whether lower or higher is better.</summary>
    public StudyDirection Direction { get; }

    /// <summary>Per source label, the hparam importances (PED-ANOVA), largest first; empty with fewer than <see cref="PedAnova.MinimumTrials"/> trials.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<HParamImportance>> Importances =>
        Sources.ToDictionary(s => s.Label, s => s.Importances, StringComparer.Ordinal);

    internal ReportOptions Options { get; }

    internal IReadOnlyList<HParamAxis> Axes { get; }

    internal IReadOnlyList<ReportSource> Sources { get; }

    /// <summary>Reads log directories (ours, TensorFlow's, PyTorch's) and builds their report; each directory is a source.</summary>
    /// <param name="logDirs">The log directories.</param>
    /// <param name="options">What to show; defaults when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The objective is not a metric of the sources, or they have no metric; the message lists those they have.</exception>
    public static StudyReport Load(IEnumerable<string> logDirs, ReportOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(logDirs);
        string[] dirs = [.. logDirs];
        options ??= new ReportOptions();
        return Create(ComparisonTable.Load(dirs), options.Space.Count > 0 ? options : options with { Space = DeclaredSpace(dirs) });
    }

    /// <summary>The hparams the log directories' experiments declare (the first declaration of a name wins): what axes can know without the tuner's space.</summary>
    /// <param name="logDirs">The log directories.</param>
    public static IReadOnlyList<HParam> DeclaredSpace(IEnumerable<string> logDirs)
    {
        ArgumentNullException.ThrowIfNull(logDirs);
        return [.. logDirs
            .Select(dir => HParamsLogReader.ReadExperiment(dir, new Events.EventFileReaderOptions { OnCorruptRecord = Events.CorruptRecordHandling.SkipRestOfFile }))
            .SelectMany(e => e?.HParams ?? [])
            .DistinctBy(h => h.Name)];
    }

    /// <summary>Builds the report of a comparison; each of its log directories is a source.</summary>
    /// <param name="table">The comparison, one row per session group (trial).</param>
    /// <param name="options">What to show; defaults when <see langword="null"/>.</param>
    /// <param name="rows">The rows to report, e.g. from <see cref="ComparisonTable.Select"/>; all of the table's when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The objective is not a metric of the table, or it has none; the message lists those it has.</exception>
    public static StudyReport Create(ComparisonTable table, ReportOptions? options = null, IEnumerable<ComparisonRow>? rows = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        options ??= new ReportOptions();
        options.Validate();
        Metric objective = ChooseObjective(table, options.Objective);
        StudyDirection direction = options.Direction
            ?? (ComparisonTable.LowerIsBetter(objective.Tag) ? StudyDirection.Minimize : StudyDirection.Maximize);
        IEnumerable<(string, IReadOnlyList<ReportTrial>)> sources = (rows ?? table.Rows).GroupBy(r => r.LogDir).Select(source => (source.Key, (IReadOnlyList<ReportTrial>)[.. source
            .OrderBy(r => r.Sessions.Min(s => s.StartTime))
            .ThenBy(r => r.Name, StringComparer.Ordinal)
            .Select((row, i) => TrialOf(row, i + 1, objective, options))]));
        return Assemble(sources, table.HParamNames, objective, direction, options);
    }

    /// <summary>The report of trials already taken from their sources: axes, importances, summaries.</summary>
    internal static StudyReport Assemble(IEnumerable<(string Label, IReadOnlyList<ReportTrial> Trials)> sources, IReadOnlyList<string> hparamNames, Metric objective, StudyDirection direction, ReportOptions options)
    {
        var taken = sources.ToList();
        HParamAxis[] axes = [.. hparamNames.Select(name => HParamAxis.For(
            name,
            taken.SelectMany(s => s.Trials).Where(t => t.HParams.ContainsKey(name)).Select(t => t.HParams[name]),
            options.Space))];
        var logScale = axes.Where(a => a.Log).Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        ReportSource[] reported = [.. taken.Select(source =>
        {
            ReportTrial[] scored = [.. source.Trials.Where(t => t.IsScored)];
            IReadOnlyList<HParamImportance> importances = PedAnova.Evaluate(
                [.. scored.Select(t => t.HParams)], [.. scored.Select(t => t.Value!.Value)], direction, logScale);
            return new ReportSource(source.Label, source.Trials, importances);
        })];
        return new StudyReport(options, objective, direction, axes, reported);
    }

    /// <summary>The page, as one self-contained HTML document.</summary>
    public string ToHtml() => Rendering.HtmlReport.Render(this);

    /// <summary>Writes the page to <paramref name="path"/>, a new file: nothing is overwritten.</summary>
    /// <param name="path">The file to create.</param>
    /// <param name="cancellationToken">Cancels the write (the partial file is removed).</param>
    /// <exception cref="IOException">The file exists (it is left as it was), or it cannot be written (the partial file is removed).</exception>
    public async Task WriteAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        string html = ToHtml();
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        FileStream file;
        try
        {
            file = new FileStream(full, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        }
        catch (IOException) when (File.Exists(full))
        {
            throw new IOException($"'{full}' exists; give a new file name for the report, or move the old one away (nothing was overwritten).");
        }

        try
        {
            await using (file.ConfigureAwait(false))
            {
                byte[] bytes = System.Text.Encoding.UTF8.GetBytes(html);
                await file.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            File.Delete(full);
            throw;
        }
    }

    private static Metric ChooseObjective(ComparisonTable table, Metric? wanted)
    {
        string Listed() => table.Metrics.Count == 0 ? "none" : string.Join(", ", table.Metrics.Select(m => m.Group.Length == 0 ? m.Tag : $"{m.Group}/{m.Tag}"));
        if (wanted is null)
        {
            return table.Metrics.Count > 0
                ? new Metric(table.Metrics[0].Tag, table.Metrics[0].Group)
                : throw new ArgumentException("The sources have no metric (no scalar series and no hparams config), so there is nothing to rank trials by. Check the log directories.", nameof(table));
        }

        return table.Metrics.Contains((wanted.Group, wanted.Tag))
            ? wanted
            : throw new ArgumentException($"{wanted} is not a metric of the sources; they have: {Listed()}.", nameof(table));
    }

    private static ReportTrial TrialOf(ComparisonRow row, int number, Metric objective, ReportOptions options)
    {
        double? Last(Metric metric) => row.Metrics.TryGetValue((metric.Group, metric.Tag), out MetricSummary? m) && double.IsFinite(m.Last) ? m.Last : null;
        row.Metrics.TryGetValue((objective.Group, objective.Tag), out MetricSummary? summary);
        double?[]? folds = row.Sessions.Count > 1 ? [.. row.Sessions.Select(s => s.Last(objective.Group, objective.Tag)?.Value)] : null;
        IReadOnlyList<Events.ScalarPoint> points = row.Sessions[0].Scalars.GetValueOrDefault((objective.Group, objective.Tag)) ?? [];
        return new ReportTrial(
            number,
            row.Name,
            TrialStates.Of(row.Sessions),
            summary is null || !double.IsFinite(summary.Last) ? null : summary.Last,
            folds is null || summary is null ? null : summary.Std,
            folds,
            row.HParams,
            row.Sessions.Min(s => s.StartTime),
            row.Sessions.All(s => s.HasEnd) ? row.Sessions.Max(s => s.EndTime) : null,
            [.. points.Select(p => new[] { (double)p.Step, p.Value })],
            options.Objectives.Count > 1 ? [.. options.Objectives.Select(o => Last(o.Metric))] : [],
            options.Objectives.Count > 1 ? [.. options.Constraints.Select(Last)] : []);
    }
}
