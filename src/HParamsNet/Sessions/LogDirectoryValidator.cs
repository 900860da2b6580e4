using System.Globalization;
using Google.Protobuf.WellKnownTypes;
using HParamsNet.Events;
using HParamsNet.Protos.HParams;

namespace HParamsNet.Sessions;

/// <summary>How bad a finding is.</summary>
public enum ValidationSeverity
{
    /// <summary>Worth knowing; TensorBoard still shows everything.</summary>
    Warning = 0,

    /// <summary>TensorBoard would hide or misreport data.</summary>
    Error = 1,
}

/// <summary>One finding of <see cref="LogDirectoryValidator"/>.</summary>
/// <param name="Severity">Whether TensorBoard would hide data.</param>
/// <param name="Where">The run or file (and offset) concerned.</param>
/// <param name="Message">What is wrong and what it does in TensorBoard.</param>
public sealed record ValidationProblem(ValidationSeverity Severity, string Where, string Message);

/// <summary>What TensorBoard's HParams dashboard would show for a log directory, and every problem found.</summary>
/// <param name="Runs">Runs found.</param>
/// <param name="Sessions">Sessions (runs with a session start).</param>
/// <param name="Groups">Session groups.</param>
/// <param name="HParams">Hparams shown (declared, or inferred without an experiment).</param>
/// <param name="Metrics">Metrics shown.</param>
/// <param name="Problems">Findings, errors first.</param>
public sealed record ValidationReport(int Runs, int Sessions, int Groups, IReadOnlyList<string> HParams, IReadOnlyList<string> Metrics, IReadOnlyList<ValidationProblem> Problems)
{
    /// <summary>Whether a problem would hide data in TensorBoard.</summary>
    public bool HasErrors => Problems.Any(p => p.Severity == ValidationSeverity.Error);
}

/// <summary>Checks a log directory the way TensorBoard would read it.</summary>
public static class LogDirectoryValidator
{
    /// <summary>Reads <paramref name="logDir"/> and reports what TensorBoard would show and what would go wrong.</summary>
    /// <param name="logDir">The log directory.</param>
    public static ValidationReport Validate(string logDir)
    {
        var problems = new List<ValidationProblem>();
        var options = new EventFileReaderOptions
        {
            OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile,
            ProblemReported = p => problems.Add(new ValidationProblem(
                p.IsCorruption ? ValidationSeverity.Error : ValidationSeverity.Warning,
                $"{Path.GetRelativePath(logDir, p.Path)} @ {p.Offset}",
                p.IsCorruption ? p.Message + " Events after it are not shown." : p.Message)),
        };

        LogDirectoryScan scan = LogDirectory.Scan(logDir);
        int runs = scan.Runs.Count;
        var experiments = HParamsLogReader.ReadStoredExperiments(logDir, options);
        var diagnostics = new List<RunDiagnostics>();
        IReadOnlyList<SessionRecord> sessions = HParamsLogReader.ReadSessions(LogDirectory.FindRuns(logDir), options, diagnostics);
        problems = [.. problems.DistinctBy(p => (p.Where, p.Message))];
        foreach (SkippedDirectory skipped in scan.Skipped)
        {
            problems.Add(new ValidationProblem(ValidationSeverity.Warning, Path.GetRelativePath(logDir, skipped.Path), $"{skipped.Reason}; not read (TensorBoard skips it too)."));
        }

        foreach (RunDiagnostics run in diagnostics)
        {
            AddWriterConflicts(run, problems);
        }

        foreach (IGrouping<string, SessionRecord> group in sessions.GroupBy(s => s.GroupName).Where(g => g.Skip(1).Any()))
        {
            var distinct = group.DistinctBy(s => Describe(s.HParams)).ToList();
            if (distinct.Count > 1)
            {
                problems.Add(new ValidationProblem(ValidationSeverity.Error, $"group '{group.Key}'",
                    $"holds {group.Count()} sessions with different hparams ({string.Join("; ", distinct.Take(3).Select(s => $"{s.Name}: {Describe(s.HParams)}"))}): TensorBoard shows them as one row and averages their metrics. Give each configuration its own group name (trial id)."));
            }
        }

        if (experiments.Count > 1)
        {
            problems.Add(new ValidationProblem(ValidationSeverity.Error, string.Join(", ", experiments.Select(e => e.Run)),
                $"{experiments.Count} experiment summaries: TensorBoard uses one of them (which one is unspecified) and ignores the others. Keep one, in the root run."));
        }

        Experiment? experiment = experiments.Count > 0 ? experiments[0].Experiment : null;
        var declared = experiment?.HparamInfos.ToDictionary(h => h.Name) ?? [];
        foreach (SessionRecord session in sessions)
        {
            foreach ((string name, object value) in session.HParams)
            {
                if (experiment is not null && !declared.ContainsKey(name))
                {
                    problems.Add(new ValidationProblem(ValidationSeverity.Error, session.Name, $"hparam '{name}' is not in the experiment, so TensorBoard does not show it. Declare it in the hparams config."));
                }
                else if (experiment is not null && OutsideDomain(declared[name], value) is string why)
                {
                    problems.Add(new ValidationProblem(ValidationSeverity.Error, session.Name, $"hparam '{name}' = {Format(value)} {why}; TensorBoard's default filter hides the session."));
                }
            }

            foreach (((string Group, string Tag) key, IReadOnlyList<ScalarPoint> points) in session.Scalars)
            {
                if (points.Any(p => p.Step > int.MaxValue))
                {
                    problems.Add(new ValidationProblem(ValidationSeverity.Error, session.Name, $"'{key.Tag}' has steps above 2^31-1: TensorBoard's session-groups request fails (HTTP 500)."));
                }
            }
        }

        foreach (IGrouping<string, (string Name, string Kind)> hparam in sessions.SelectMany(s => s.HParams.Select(p => (p.Key, Kind(p.Value)))).GroupBy(p => p.Key, p => (p.Key, p.Item2)))
        {
            var kinds = hparam.Select(h => h.Kind).Distinct().Order(StringComparer.Ordinal).ToList();
            if (kinds.Count > 1)
            {
                problems.Add(new ValidationProblem(ValidationSeverity.Error, $"hparam '{hparam.Key}'", $"has values of mixed kinds ({string.Join(", ", kinds)}) across sessions: TensorBoard shows it as strings and its filters stop matching. Use one kind."));
            }
        }

        foreach (MetricInfo metric in experiment?.MetricInfos ?? [])
        {
            if (sessions.Count > 0 && sessions.All(s => s.Last(metric.Name.Group, metric.Name.Tag) is null))
            {
                string label = metric.Name.Group.Length == 0 ? metric.Name.Tag : $"{metric.Name.Group}/{metric.Name.Tag}";
                problems.Add(new ValidationProblem(ValidationSeverity.Warning, $"metric '{label}'", "is declared in the experiment but no session reports it: its column stays empty. Check the tag and the group (the session's sub-directory)."));
            }
        }

        foreach (SessionRecord session in sessions.Where(s => s.Name == "."))
        {
            problems.Add(new ValidationProblem(ValidationSeverity.Error, ".", "the log directory's root run is a session: TensorBoard gives it no metrics from sub-directories. Write each session in its own sub-directory."));
        }

        foreach (SessionRecord session in sessions.Where(s => !s.HasEnd))
        {
            problems.Add(new ValidationProblem(ValidationSeverity.Warning, session.Name, "has no session end: TensorBoard shows it as STATUS_UNKNOWN (still running, or the process died)."));
        }

        IReadOnlyList<string> hparams = experiment?.HparamInfos.Select(h => h.Name).ToList()
            ?? [.. sessions.SelectMany(s => s.HParams.Keys).Distinct().Order(StringComparer.Ordinal)];
        IReadOnlyList<string> metrics = experiment?.MetricInfos.Select(m => m.Name.Group.Length == 0 ? m.Name.Tag : $"{m.Name.Group}/{m.Name.Tag}").ToList()
            ?? [.. sessions.SelectMany(s => s.Scalars.Keys).Distinct().Select(k => k.Group.Length == 0 ? k.Tag : $"{k.Group}/{k.Tag}").Order(StringComparer.Ordinal)];
        return new ValidationReport(runs, sessions.Count, sessions.Select(s => s.GroupName).Distinct().Count(), hparams, metrics,
            [.. problems.OrderByDescending(p => p.Severity)]);
    }

    // Two writers on one run (e.g. two processes on one study) leave what TensorBoard reads past:
    // extra session records, and series whose steps go back where the second file starts again.
    private static void AddWriterConflicts(RunDiagnostics run, List<ValidationProblem> problems)
    {
        string files = run.EventFiles > 1 ? $" ({run.EventFiles} event files: two writers?)" : string.Empty;
        if (run.SessionStarts > 1)
        {
            problems.Add(new ValidationProblem(ValidationSeverity.Error, run.Run, $"has {run.SessionStarts} session starts{files}: TensorBoard keeps the first and ignores the others' hparams. Write each session to its own run directory."));
        }

        if (run.SessionEnds > 1)
        {
            problems.Add(new ValidationProblem(ValidationSeverity.Error, run.Run, $"has {run.SessionEnds} session ends{files}: TensorBoard keeps the first status. Write one end per session."));
        }

        foreach ((string tag, int count) in run.BackwardSteps.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            problems.Add(new ValidationProblem(ValidationSeverity.Error, run.Run, $"'{tag}' has {count} points at a step that was already written or is earlier{files}: TensorBoard keeps one point per step, so the curve and the last value it shows are not what was written. Log each step once, in increasing order."));
        }
    }

    private static string Describe(IReadOnlyDictionary<string, object> hparams) =>
        string.Join(", ", hparams.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Format(p.Value)}"));

    private static string Kind(object value) => value switch
    {
        string => "string",
        bool => "bool",
        _ => "number",
    };

    private static string Format(object value) => value switch
    {
        string s => $"\"{s}\"",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => value.ToString() ?? string.Empty,
    };

    private static string? OutsideDomain(HParamInfo info, object value)
    {
        switch (info.DomainCase)
        {
            case HParamInfo.DomainOneofCase.DomainInterval:
                return value is double d && d >= info.DomainInterval.MinValue && d <= info.DomainInterval.MaxValue
                    ? null
                    : string.Create(CultureInfo.InvariantCulture, $"is outside its declared interval [{info.DomainInterval.MinValue}, {info.DomainInterval.MaxValue}]");
            case HParamInfo.DomainOneofCase.DomainDiscrete:
                bool member = info.DomainDiscrete.Values.Any(v => v.KindCase switch
                {
                    Value.KindOneofCase.NumberValue => value is double d && d.Equals(v.NumberValue),
                    Value.KindOneofCase.StringValue => value is string s && s == v.StringValue,
                    Value.KindOneofCase.BoolValue => value is bool b && b == v.BoolValue,
                    _ => false,
                });
                return member ? null : "is not one of its declared values";
            default:
                return null;
        }
    }
}
