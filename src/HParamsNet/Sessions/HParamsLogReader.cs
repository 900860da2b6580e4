using System.Text;
using Google.Protobuf.WellKnownTypes;
using HParamsNet.Protos;
using HParamsNet.Protos.HParams;

namespace HParamsNet;

/// <summary>
/// Reads what TensorBoard's HParams dashboard reads from a log directory, written by us or by
/// TensorFlow: the experiment summary and the sessions with their hparams, statuses and scalars.
/// Damaged files are read as TensorBoard does: up to the damage, reported through the options.
/// </summary>
public static class HParamsLogReader
{
    /// <summary>The text plugin's name; errors of failed trials are written as text.</summary>
    public const string TextPluginName = "text";

    /// <summary>The first experiment summary found (root run first), or <see langword="null"/>.</summary>
    /// <param name="logDir">The log directory.</param>
    /// <param name="options">Reader options; <see cref="CorruptRecordHandling.SkipRestOfFile"/> when <see langword="null"/>.</param>
    public static Experiment? ReadExperiment(string logDir, EventFileReaderOptions? options = null)
    {
        options ??= TensorBoardLike;
        foreach (RunDirectory run in LogDirectory.FindRuns(logDir).OrderBy(r => r.Name == "." ? 0 : 1))
        {
            foreach (Event evt in EventFileReader.ReadRunEvents(run.Path, options))
            {
                foreach (Summary.Types.Value value in evt.Summary?.Value ?? [])
                {
                    if (value.Tag == HParamsSummaries.ExperimentTag && HParamsSummaries.TryParse(value)?.Experiment is { } experiment)
                    {
                        return experiment;
                    }
                }
            }
        }

        return null;
    }

    /// <summary>Every session of the log directory, by run name.</summary>
    /// <param name="logDir">The log directory.</param>
    /// <param name="options">Reader options; <see cref="CorruptRecordHandling.SkipRestOfFile"/> when <see langword="null"/>.</param>
    public static IReadOnlyList<SessionRecord> ReadSessions(string logDir, EventFileReaderOptions? options = null)
    {
        options ??= TensorBoardLike;
        var runs = LogDirectory.FindRuns(logDir).Select(run => ReadRun(run, options)).ToList();
        var sessions = runs.Where(r => r.Start is not null).ToList();
        var result = new List<SessionRecord>(sessions.Count);
        foreach (RunData session in sessions)
        {
            // A session's metrics live in its own run and in sub-runs that belong to no closer session.
            var scalars = new Dictionary<(string, string), IReadOnlyList<ScalarPoint>>();
            foreach (RunData run in runs)
            {
                string? group = GroupOf(session.Name, run.Name);
                if (group is null || (group.Length > 0 && sessions.Any(s => s != session && GroupOf(s.Name, run.Name) is { } closer && closer.Length < group.Length)))
                {
                    continue;
                }

                foreach ((string tag, List<ScalarPoint> points) in run.Scalars)
                {
                    scalars[(group, tag)] = points;
                }
            }

            SessionStartInfo start = session.Start!;
            result.Add(new SessionRecord(
                session.Name,
                start.GroupName.Length == 0 ? session.Name : start.GroupName,
                start.Hparams.ToDictionary(p => p.Key, p => FromProto(p.Value), StringComparer.Ordinal),
                session.End is null ? SessionStatus.Unknown : (SessionStatus)session.End.Status,
                session.End is not null,
                start.StartTimeSecs,
                session.End?.EndTimeSecs ?? 0,
                scalars,
                session.Texts));
        }

        return result;
    }

    private static readonly EventFileReaderOptions TensorBoardLike = new() { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile };

    // The sub-run of 'run' relative to 'session' ("" for the session itself), or null if outside it.
    private static string? GroupOf(string session, string run)
    {
        if (run == session)
        {
            return string.Empty;
        }

        string prefix = session == "." ? string.Empty : session + "/";
        return session != "." && run.StartsWith(prefix, StringComparison.Ordinal) ? run[prefix.Length..] : null;
    }

    private static object FromProto(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.NumberValue => value.NumberValue,
        Value.KindOneofCase.StringValue => value.StringValue,
        Value.KindOneofCase.BoolValue => value.BoolValue,
        _ => value.ToString(),
    };

    private static RunData ReadRun(RunDirectory run, EventFileReaderOptions options)
    {
        var data = new RunData(run.Name);
        foreach (string file in EventFileNames.ListEventFiles(run.Path))
        {
            var decoder = new ScalarEventDecoder();
            var points = new List<ScalarEvent>();
            foreach (Event evt in EventFileReader.ReadEvents(file, options))
            {
                points.Clear();
                decoder.AddParsed(evt, points);
                foreach (ScalarEvent point in points)
                {
                    (data.Scalars.TryGetValue(point.Tag, out List<ScalarPoint>? series) ? series : data.Scalars[point.Tag] = []).Add(new ScalarPoint(point.Step, point.Value, point.WallTime));
                }

                foreach (Summary.Types.Value value in evt.Summary?.Value ?? [])
                {
                    if (HParamsSummaries.TryParse(value) is { } plugin)
                    {
                        data.Start ??= plugin.SessionStartInfo; // the first one wins, as in TensorBoard
                        data.End ??= plugin.SessionEndInfo;
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

    private sealed class RunData(string name)
    {
        public string Name { get; } = name;

        public SessionStartInfo? Start { get; set; }

        public SessionEndInfo? End { get; set; }

        public Dictionary<string, List<ScalarPoint>> Scalars { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, string> Texts { get; } = new(StringComparer.Ordinal);
    }
}
