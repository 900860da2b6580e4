using System.Runtime.ExceptionServices;
using System.Text;
using Google.Protobuf.WellKnownTypes;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Protos.HParams;
using HParamsNet.Summaries;

namespace HParamsNet.Sessions;

/// <summary>
/// Reads what TensorBoard's HParams dashboard reads from a log directory, written by us or by
/// TensorFlow: the experiment summary and the sessions with their hparams, statuses and scalars.
/// Damaged files are read as TensorBoard does: up to the damage, reported through the options.
/// </summary>
public static class HParamsLogReader
{
    /// <summary>The text plugin's name; errors of failed trials are written as text.</summary>
    public const string TextPluginName = TextSummaries.PluginName;

    /// <summary>
    /// The first experiment found (root run first), as the writer takes it, or <see langword="null"/>.
    /// TensorBoard stores intervals as FLOAT64 without a scale, so an <see cref="IntInterval"/> or a
    /// log scale reads back as a <see cref="RealInterval"/>; an hparam written without a domain
    /// reads with <see cref="Domain.Unspecified"/>.
    /// </summary>
    /// <param name="logDir">The log directory.</param>
    /// <param name="options">Reader options; <see cref="CorruptRecordHandling.SkipRestOfFile"/> when <see langword="null"/>. Declarations no domain type can hold are reported through them and left out.</param>
    public static HParamsExperiment? ReadExperiment(string logDir, EventFileReaderOptions? options = null) =>
        ReadExperiment(LogDirectory.FindRuns(logDir), options);

    /// <summary>As <see cref="ReadExperiment(string, EventFileReaderOptions?)"/>, over runs already found (one scan of a large directory, not one per question).</summary>
    internal static HParamsExperiment? ReadExperiment(IReadOnlyList<RunDirectory> runs, EventFileReaderOptions? options) =>
        EnumerateExperiments(runs, options ?? TensorBoardLike, ToExperiment).Select(found => found.Experiment).FirstOrDefault();

    /// <summary>Every experiment of the log directory, with its run (TensorBoard uses one; several are a problem).</summary>
    /// <param name="logDir">The log directory.</param>
    /// <param name="options">Reader options; <see cref="CorruptRecordHandling.SkipRestOfFile"/> when <see langword="null"/>.</param>
    public static IReadOnlyList<(string Run, HParamsExperiment Experiment)> ReadExperiments(string logDir, EventFileReaderOptions? options = null) =>
        [.. EnumerateExperiments(LogDirectory.FindRuns(logDir), options ?? TensorBoardLike, ToExperiment)];

    /// <summary>The first experiment record as stored, for comparisons that must see exactly what TensorBoard reads.</summary>
    internal static Experiment? ReadStoredExperiment(string logDir, EventFileReaderOptions? options = null) =>
        EnumerateExperiments(LogDirectory.FindRuns(logDir), options ?? TensorBoardLike, (stored, _) => stored).Select(found => found.Experiment).FirstOrDefault();

    /// <summary>Every experiment record as stored, with its run.</summary>
    internal static IReadOnlyList<(string Run, Experiment Experiment)> ReadStoredExperiments(string logDir, EventFileReaderOptions? options = null) =>
        [.. EnumerateExperiments(LogDirectory.FindRuns(logDir), options ?? TensorBoardLike, (stored, _) => stored)];

    /// <summary>
    /// What the study that wrote the log directory recorded about itself in its root run (its
    /// objective's direction, full space, strategy and folds), or <see langword="null"/> when it
    /// recorded nothing (another writer, or an earlier version of this library).
    /// </summary>
    /// <param name="logDir">The log directory.</param>
    /// <exception cref="FormatException">The record is there but damaged; the message says how.</exception>
    public static StudyRecord? ReadStudyRecord(string logDir) =>
        RootText(logDir, StudyRecord.TextTag) is string json ? StudyRecord.FromJson(json) : null;

    /// <summary>The first text summary of <paramref name="tag"/> in the root run, or <see langword="null"/>.</summary>
    internal static string? RootText(string logDir, string tag)
    {
        if (!Directory.Exists(logDir))
        {
            return null;
        }

        foreach (Event evt in EventFileReader.ReadRunEvents(logDir, TensorBoardLike))
        {
            foreach (Summary.Types.Value value in evt.Summary?.Value ?? [])
            {
                if (value.Tag == tag && value.Tensor?.StringVal.Count > 0)
                {
                    return value.Tensor.StringVal[0].ToStringUtf8();
                }
            }
        }

        return null;
    }

    /// <summary>Every session of the log directory, by run name.</summary>
    /// <param name="logDir">The log directory.</param>
    /// <param name="options">Reader options; <see cref="CorruptRecordHandling.SkipRestOfFile"/> when <see langword="null"/>.</param>
    public static IReadOnlyList<SessionRecord> ReadSessions(string logDir, EventFileReaderOptions? options = null) =>
        ReadSessions(LogDirectory.FindRuns(logDir), options, diagnostics: null);

    /// <summary>The sessions, and per run what TensorBoard would read past or merge (for the validator).</summary>
    internal static IReadOnlyList<SessionRecord> ReadSessions(IReadOnlyList<RunDirectory> found, EventFileReaderOptions? options, List<RunDiagnostics>? diagnostics)
    {
        options ??= TensorBoardLike;
        RunData[] runs = ReadRuns(found, options);
        diagnostics?.AddRange(runs.Select(r => r.Diagnostics()));
        var sessions = runs.Where(r => r.Start is not null).ToDictionary(r => r.Name, StringComparer.Ordinal);

        // A run's metrics belong to its closest session: itself, or the nearest ancestor that is one
        // (a session at the root run gets none from sub-directories, as in TensorBoard).
        var scalarsBySession = sessions.Keys.ToDictionary(name => name, _ => new Dictionary<(string, string), IReadOnlyList<ScalarPoint>>(), StringComparer.Ordinal);
        foreach (RunData run in runs)
        {
            if (ClosestSession(run.Name, sessions) is not string session)
            {
                continue;
            }

            string group = run.Name == session ? string.Empty : run.Name[(session.Length + 1)..];
            foreach ((string tag, List<ScalarPoint> points) in run.Scalars)
            {
                scalarsBySession[session][(group, tag)] = points;
            }
        }

        var result = new List<SessionRecord>(sessions.Count);
        foreach (RunData session in sessions.Values.OrderBy(s => s.Name, StringComparer.Ordinal))
        {
            SessionStartInfo start = session.Start!;
            result.Add(new SessionRecord(
                session.Name,
                start.GroupName.Length == 0 ? session.Name : start.GroupName,
                start.Hparams.Where(p => HasValue(p.Value)).ToDictionary(p => p.Key, p => FromProto(p.Value), StringComparer.Ordinal),
                session.End is null ? SessionStatus.Unknown : (SessionStatus)session.End.Status,
                session.End is not null,
                start.StartTimeSecs,
                session.End?.EndTimeSecs ?? 0,
                scalarsBySession[session.Name],
                session.Texts));
        }

        return result;
    }

    private static readonly EventFileReaderOptions TensorBoardLike = new() { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile };

    private static HParamsExperiment ToExperiment(Experiment stored, EventFileReader reader) =>
        HParamsExperiment.FromProto(stored, UnixTime.FromSeconds(stored.TimeCreatedSecs), skipped => reader.ReportDataProblem(EventFileProblemKind.InvalidPluginData, $"The hparams config's {skipped}."));

    // Experiment summaries run by run, the root run first (where TensorBoard looks first), lazily:
    // ReadExperiment stops at the first.
    private static IEnumerable<(string Run, T Experiment)> EnumerateExperiments<T>(IReadOnlyList<RunDirectory> runs, EventFileReaderOptions options, Func<Experiment, EventFileReader, T> convert)
    {
        foreach (RunDirectory run in runs.OrderBy(r => r.Name == "." ? 0 : 1))
        {
            foreach (string file in EventFileNames.ListEventFiles(run.Path))
            {
                using var reader = new EventFileReader(file, options);
                while (reader.TryReadNext(out EventRecord? record))
                {
                    foreach (Summary.Types.Value value in record.Event.Summary?.Value ?? [])
                    {
                        if (value.Tag == HParamsSummaries.ExperimentTag && Decode(reader, value)?.Experiment is { } experiment)
                        {
                            yield return (run.Name, convert(experiment, reader));
                        }
                    }
                }
            }
        }
    }

    // The run itself if it is a session, else its nearest ancestor run that is one.
    private static string? ClosestSession<T>(string run, Dictionary<string, T> sessions)
    {
        for (string? candidate = run; candidate is not null; candidate = Parent(candidate))
        {
            if (sessions.ContainsKey(candidate))
            {
                return candidate == "." && run != "." ? null : candidate;
            }
        }

        return null;
    }

    private static string? Parent(string run)
    {
        int slash = run.Replace('\\', '/').LastIndexOf('/');
        return slash > 0 ? run[..slash] : null;
    }

    // A value with no kind, or null, is None in TensorBoard: an empty cell, so no entry here.
    private static bool HasValue(Value value) => value.KindCase is not (Value.KindOneofCase.None or Value.KindOneofCase.NullValue);

    private static object FromProto(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.NumberValue => value.NumberValue,
        Value.KindOneofCase.StringValue => value.StringValue,
        Value.KindOneofCase.BoolValue => value.BoolValue,
        _ => AsJson(value),
    };

    // A list or struct is shown as JSON, as TensorBoard shows it; one holding a kind-less value
    // (only a damaged or foreign file has it) cannot be formatted, and reads as what it is.
    private static string AsJson(Value value)
    {
        try
        {
            return value.ToString();
        }
        catch (InvalidOperationException)
        {
            return $"({value.KindCase} with a value of no kind)";
        }
    }

    // Runs are read on every core (a log directory of thousands of small runs is bound by opening
    // and decoding files), each into its own problem list; the lists are then handed to the
    // caller's callback in run order on this thread, so it sees what a serial read reports, in the
    // same order, with the same first failure thrown, and needs no locking of its own.
    private static RunData[] ReadRuns(IReadOnlyList<RunDirectory> found, EventFileReaderOptions options)
    {
        var runs = new RunData[found.Count];
        var problems = new List<EventFileProblem>?[found.Count];
        var failures = new ExceptionDispatchInfo?[found.Count];
        Parallel.For(0, found.Count, i =>
        {
            EventFileReaderOptions runOptions = options;
            if (options.ProblemReported is not null)
            {
                runOptions = options.ReportingTo(problems[i] = []);
            }

            try
            {
                runs[i] = ReadRun(found[i], runOptions);
            }
            catch (Exception e)
            {
                failures[i] = ExceptionDispatchInfo.Capture(e);
            }
        });

        for (int i = 0; i < found.Count; i++)
        {
            foreach (EventFileProblem problem in problems[i] ?? [])
            {
                options.ProblemReported!(problem);
            }

            failures[i]?.Throw();
        }

        return runs;
    }

    private static RunData ReadRun(RunDirectory run, EventFileReaderOptions options)
    {
        var data = new RunData(run.Name);
        IReadOnlyList<string> files = EventFileNames.ListEventFiles(run.Path);
        data.EventFiles = files.Count;
        foreach (string file in files)
        {
            // Scalars decoded on the wire; only hparams and text events are parsed in full.
            using var reader = new EventFileReader(file, options, deferOtherPlugins: true);
            var points = new List<ScalarEvent>();
            while (reader.TryReadNextData(points, out Event? evt))
            {
                foreach (ScalarEvent point in points)
                {
                    data.Add(point);
                }

                points.Clear();
                foreach (Summary.Types.Value value in evt?.Summary?.Value ?? [])
                {
                    if (Decode(reader, value) is { } plugin)
                    {
                        data.Start ??= plugin.SessionStartInfo; // the first one wins, as in TensorBoard
                        data.End ??= plugin.SessionEndInfo;
                        data.Starts += plugin.SessionStartInfo is null ? 0 : 1;
                        data.Ends += plugin.SessionEndInfo is null ? 0 : 1;
                    }
                    else if (value.Metadata?.PluginData?.PluginName == TextPluginName && value.Tensor?.StringVal.Count > 0)
                    {
                        data.Texts[value.Tag] = Encoding.UTF8.GetString(value.Tensor.StringVal[0].Span);
                    }
                }
            }
        }

        return data;
    }

    // An hparams summary's plugin data; null for other summaries and for damaged content (reported).
    private static HParamsPluginData? Decode(EventFileReader reader, Summary.Types.Value value)
    {
        if (HParamsSummaries.TryDecode(value, out HParamsPluginData? data, out string? error) && error is not null)
        {
            reader.ReportDataProblem(EventFileProblemKind.InvalidPluginData, error);
        }

        return data;
    }

    private sealed class RunData(string name)
    {
        private readonly Dictionary<string, int> _backwardSteps = new(StringComparer.Ordinal);
        private readonly Dictionary<string, Series> _series = new(StringComparer.Ordinal);

        public string Name { get; } = name;

        public int EventFiles { get; set; }

        public int Starts { get; set; }

        public int Ends { get; set; }

        // One look-up per point: the points and the highest step so far kept together.
        public void Add(ScalarEvent point)
        {
            if (!_series.TryGetValue(point.Tag, out Series? series))
            {
                _series[point.Tag] = series = new Series();
                Scalars[point.Tag] = series.Points;
                series.MaxStep = point.Step;
            }
            else if (point.Step <= series.MaxStep)
            {
                _backwardSteps[point.Tag] = _backwardSteps.GetValueOrDefault(point.Tag) + 1;
            }
            else
            {
                series.MaxStep = point.Step;
            }

            series.Points.Add(point.Point);
        }

        public RunDiagnostics Diagnostics() => new(Name, EventFiles, Starts, Ends, _backwardSteps);

        public SessionStartInfo? Start { get; set; }

        public SessionEndInfo? End { get; set; }

        public Dictionary<string, List<ScalarPoint>> Scalars { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Texts { get; } = new(StringComparer.Ordinal);

        private sealed class Series
        {
            public List<ScalarPoint> Points { get; } = [];

            public long MaxStep { get; set; }
        }
    }
}

/// <summary>What a run holds that TensorBoard reads past or merges: extra session records, steps that go back.</summary>
/// <param name="Run">The run's name.</param>
/// <param name="EventFiles">Event files with data.</param>
/// <param name="SessionStarts">Session start records (TensorBoard keeps the first).</param>
/// <param name="SessionEnds">Session end records (TensorBoard keeps the first).</param>
/// <param name="BackwardSteps">Per tag, points whose step is not after every earlier point's, in TensorBoard's file order.</param>
internal sealed record RunDiagnostics(string Run, int EventFiles, int SessionStarts, int SessionEnds, IReadOnlyDictionary<string, int> BackwardSteps);
