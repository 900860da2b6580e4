using HParamsNet.Events;
using HParamsNet.Protos.HParams;

namespace HParamsNet.Sessions;

/// <summary>A metric's summary for one row of a comparison (a session, or a session group).</summary>
/// <param name="Last">The last value (for a group: the mean of its sessions' last values, as TensorBoard's AVG shows).</param>
/// <param name="LastStep">The step of the last value (for a group: of its first session).</param>
/// <param name="Best">The best value over all steps (and sessions), by the metric's direction.</param>
/// <param name="BestStep">The step of the best value.</param>
/// <param name="Std">Population standard deviation of the sessions' last values (0 for one session).</param>
/// <param name="Sessions">Sessions that report the metric.</param>
public sealed record MetricSummary(double Last, long LastStep, double Best, long BestStep, double Std, int Sessions);

/// <summary>One row of a comparison: a session group (or one session) of one log directory.</summary>
/// <param name="LogDir">The log directory it came from.</param>
/// <param name="Name">The group's (or session's) name.</param>
/// <param name="HParams">Values by hparam name (of the group's first session, as TensorBoard takes them).</param>
/// <param name="Sessions">The sessions in the row.</param>
/// <param name="Status">The common status, or "mixed" with the counts.</param>
/// <param name="Metrics">Summaries by metric (group, tag); missing when no session reports it.</param>
public sealed record ComparisonRow(
    string LogDir,
    string Name,
    IReadOnlyDictionary<string, object> HParams,
    IReadOnlyList<SessionRecord> Sessions,
    string Status,
    IReadOnlyDictionary<(string Group, string Tag), MetricSummary> Metrics);

/// <summary>
/// The data of TensorBoard's HParams table for one or more log directories, with what the table
/// lacks: best values (not only the last), the step of the best, and the spread across a group's
/// sessions. Columns from several log directories are aligned by hparam name and metric.
/// </summary>
public sealed class ComparisonTable
{
    private ComparisonTable(IReadOnlyList<string> hparams, IReadOnlyList<(string Group, string Tag)> metrics, IReadOnlyList<ComparisonRow> rows)
    {
        HParamNames = hparams;
        Metrics = metrics;
        Rows = rows;
    }

    /// <summary>Hparam columns: the experiments' order, then any others the sessions have.</summary>
    public IReadOnlyList<string> HParamNames { get; }

    /// <summary>Metric columns: the experiments' metrics or, without an experiment, every scalar series of the sessions (as TensorBoard infers them).</summary>
    public IReadOnlyList<(string Group, string Tag)> Metrics { get; }

    /// <summary>The rows, in log-directory then name order.</summary>
    public IReadOnlyList<ComparisonRow> Rows { get; }

    /// <summary>
    /// Whether lower is better for a metric, guessed from its tag when the study recorded no
    /// direction (<see cref="StudyRecord"/>): it names a loss, an error, a regret, a perplexity, a
    /// negative log-likelihood, a latency or a time.
    /// </summary>
    public static bool LowerIsBetter(string tag)
    {
        ArgumentNullException.ThrowIfNull(tag);
        string lower = tag.ToLowerInvariant();
        string last = lower[(lower.LastIndexOf('/') + 1)..];
        return lower.Contains("loss", StringComparison.Ordinal) || lower.Contains("error", StringComparison.Ordinal)
            || lower.EndsWith("mae", StringComparison.Ordinal) || lower.EndsWith("mse", StringComparison.Ordinal) || lower.EndsWith("mape", StringComparison.Ordinal)
            || lower.Contains("regret", StringComparison.Ordinal) || lower.Contains("perplexity", StringComparison.Ordinal)
            || last == "nll" || last.StartsWith("nll_", StringComparison.Ordinal) || last.EndsWith("_nll", StringComparison.Ordinal)
            || lower.Contains("latency", StringComparison.Ordinal) || lower.Contains("duration", StringComparison.Ordinal)
            || last.EndsWith("_ms", StringComparison.Ordinal) || last.EndsWith("_seconds", StringComparison.Ordinal) || last.EndsWith("_time", StringComparison.Ordinal) || last == "time";
    }

    /// <summary>Reads the log directories and builds the table.</summary>
    /// <param name="logDirs">Log directories.</param>
    /// <param name="bySession">One row per session instead of per session group.</param>
    /// <param name="lowerIsBetter">Direction per metric tag; <see cref="LowerIsBetter"/> when <see langword="null"/>.</param>
    /// <param name="options">Reader options (problems are reported through them).</param>
    public static ComparisonTable Load(IEnumerable<string> logDirs, bool bySession = false, Func<string, bool>? lowerIsBetter = null, EventFileReaderOptions? options = null) =>
        Load(logDirs, bySession, lowerIsBetter, options, LogDirectory.FindRuns);

    /// <summary>As the public overload, with each directory's runs from <paramref name="findRuns"/> (a caller that already walked them).</summary>
    internal static ComparisonTable Load(IEnumerable<string> logDirs, bool bySession, Func<string, bool>? lowerIsBetter, EventFileReaderOptions? options, Func<string, IReadOnlyList<RunDirectory>> findRuns)
    {
        ArgumentNullException.ThrowIfNull(logDirs);
        lowerIsBetter ??= LowerIsBetter;
        var hparams = new List<string>();
        var metrics = new List<(string, string)>();
        var rows = new List<ComparisonRow>();
        foreach (string logDir in logDirs)
        {
            IReadOnlyList<RunDirectory> runs = findRuns(logDir);
            HParamsExperiment? experiment = HParamsLogReader.ReadExperiment(runs, options);
            IReadOnlyList<SessionRecord> sessions = HParamsLogReader.ReadSessions(runs, options, diagnostics: null);
            IEnumerable<string> names = experiment?.HParams.Select(h => h.Name) ?? [];
            AddNew(hparams, names.Concat(sessions.SelectMany(s => s.HParams.Keys).Distinct().Order(StringComparer.Ordinal)));
            IEnumerable<(string, string)> declared = experiment?.Metrics.Select(m => (m.Group, m.Tag))
                ?? sessions.SelectMany(s => s.Scalars.Keys).Distinct().OrderBy(k => k.Tag, StringComparer.Ordinal).ThenBy(k => k.Group, StringComparer.Ordinal);
            var logMetrics = declared.ToList();
            AddNew(metrics, logMetrics);

            IEnumerable<IGrouping<string, SessionRecord>> groups = bySession
                ? sessions.GroupBy(s => s.Name)
                : sessions.GroupBy(s => s.GroupName);
            // The direction of each metric asked once, here (the callback is the caller's); then the
            // groups summarised on every core (10,000 groups: 20,000 series of points), in order.
            var minimize = logMetrics.Select(m => lowerIsBetter(m.Item2)).ToArray();
            var ordered = groups.OrderBy(g => g.Key, StringComparer.Ordinal).ToArray();
            var built = new ComparisonRow[ordered.Length];
            Parallel.For(0, ordered.Length, i => built[i] = Row(logDir, ordered[i], logMetrics, minimize));
            rows.AddRange(built);
        }

        return new ComparisonTable(hparams, metrics, rows);
    }

    private static ComparisonRow Row(string logDir, IGrouping<string, SessionRecord> group, List<(string, string)> metrics, bool[] minimize)
    {
        var members = group.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
        var summaries = new Dictionary<(string, string), MetricSummary>();
        for (int m = 0; m < metrics.Count; m++)
        {
            (string metricGroup, string tag) = metrics[m];
            if (Summarize(members, metricGroup, tag, minimize[m]) is { } summary)
            {
                summaries[(metricGroup, tag)] = summary;
            }
        }

        return new ComparisonRow(logDir, group.Key, members[0].HParams, members, StatusOf(members), summaries);
    }

    /// <summary>The same table with each row's log directory shown as <paramref name="label"/> says (a storage's study read through a scratch directory is shown by its URL).</summary>
    /// <param name="label">The name to show for a log directory.</param>
    public ComparisonTable Relabel(Func<string, string> label)
    {
        ArgumentNullException.ThrowIfNull(label);
        return new ComparisonTable(HParamNames, Metrics, [.. Rows.Select(r => r with { LogDir = label(r.LogDir) })]);
    }

    /// <summary>The rows the query keeps, in its order.</summary>
    /// <param name="query">Values to match, the metric to rank by, how many.</param>
    /// <exception cref="ArgumentException">The query names an hparam or a metric no row of the table has; the message lists those it has.</exception>
    public IReadOnlyList<ComparisonRow> Select(ComparisonQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Top is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(query), query.Top, "Top must be at least 1.");
        }

        IEnumerable<ComparisonRow> rows = Rows;
        foreach ((string name, object wanted) in query.Where)
        {
            if (!HParamNames.Contains(name))
            {
                throw new ArgumentException($"No session has hparam '{name}'; hparams: {string.Join(", ", HParamNames)}.", nameof(query));
            }

            object normalized = HParamValues.Normalize(name, wanted);
            rows = rows.Where(r => r.HParams.TryGetValue(name, out object? value) && HParamValues.AreEqual(normalized, value));
        }

        if (query.RankBy is Metric metric)
        {
            (string Group, string Tag) key = Key(metric);
            bool minimize = query.Direction == StudyDirection.Minimize;
            rows = rows.OrderBy(r => r.Metrics.TryGetValue(key, out MetricSummary? m) && !double.IsNaN(m.Last) ? (minimize ? m.Last : -m.Last) : double.PositiveInfinity);
        }

        return [.. query.Top is int top ? rows.Take(top) : rows];
    }

    /// <summary>The best row by a metric's last value (a group's mean), among those with the given hparam values; <see langword="null"/> when none reports it.</summary>
    /// <param name="metric">The metric.</param>
    /// <param name="direction">Whether lower or higher is better.</param>
    /// <param name="where">Hparam values the row must have; any when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">No metric of the table is <paramref name="metric"/>, or no hparam is one named in <paramref name="where"/>.</exception>
    public ComparisonRow? Best(Metric metric, StudyDirection direction, IReadOnlyDictionary<string, object>? where = null)
    {
        ArgumentNullException.ThrowIfNull(metric);
        (string Group, string Tag) key = Key(metric);
        return Select(new ComparisonQuery { Where = where ?? new Dictionary<string, object>(), RankBy = metric, Direction = direction })
            .FirstOrDefault(r => r.Metrics.TryGetValue(key, out MetricSummary? m) && !double.IsNaN(m.Last));
    }

    /// <summary>The value an hparam's text stands for in this table: a number or a bool when its rows hold numbers or bools, the text otherwise (what a command line's name=value means).</summary>
    /// <param name="hparam">The hparam's name.</param>
    /// <param name="text">The value as typed.</param>
    public object ParseHParamValue(string hparam, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        object? sample = Rows.Select(r => r.HParams.GetValueOrDefault(hparam)).FirstOrDefault(v => v is not null);
        return sample switch
        {
            double when double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double number) => number,
            bool when bool.TryParse(text, out bool flag) => flag,
            _ => text,
        };
    }

    private (string Group, string Tag) Key(Metric metric) =>
        Metrics.Contains((metric.Group, metric.Tag))
            ? (metric.Group, metric.Tag)
            : throw new ArgumentException($"{metric} is not in the table; metrics: {string.Join(", ", Metrics.Select(m => m.Group.Length == 0 ? m.Tag : $"{m.Group}/{m.Tag}"))}.", nameof(metric));

    private static MetricSummary? Summarize(List<SessionRecord> sessions, string group, string tag, bool minimize)
    {
        var series = sessions.Select(s => s.Scalars.TryGetValue((group, tag), out IReadOnlyList<ScalarPoint>? points) ? points : null)
            .Where(p => p is { Count: > 0 }).Select(p => p!).ToList();
        if (series.Count == 0)
        {
            return null;
        }

        var lasts = series.Select(p => p[^1].Value).ToList();
        double mean = lasts.Average();
        double std = Math.Sqrt(lasts.Average(v => (v - mean) * (v - mean)));

        // Every point of every member is looked at (2,000,000 in a 10,000-session comparison): a
        // plain loop, the first of equal values kept, NaN never best.
        ScalarPoint best = series[0][^1];
        bool found = false;
        foreach (IReadOnlyList<ScalarPoint> points in series)
        {
            for (int i = 0; i < points.Count; i++)
            {
                ScalarPoint point = points[i];
                if (!double.IsNaN(point.Value) && (!found || (minimize ? point.Value < best.Value : point.Value > best.Value)))
                {
                    best = point;
                    found = true;
                }
            }
        }

        return new MetricSummary(mean, series[0][^1].Step, best.Value, best.Step, std, series.Count);
    }

    private static string StatusOf(List<SessionRecord> sessions)
    {
        var counts = sessions.GroupBy(s => s.Status).OrderBy(g => g.Key).ToList();
        return counts.Count == 1
            ? counts[0].Key.ToString()
            : "mixed (" + string.Join(", ", counts.Select(c => $"{c.Count()} {c.Key}")) + ")";
    }

    private static void AddNew<T>(List<T> target, IEnumerable<T> items)
    {
        foreach (T item in items)
        {
            if (!target.Contains(item))
            {
                target.Add(item);
            }
        }
    }
}
