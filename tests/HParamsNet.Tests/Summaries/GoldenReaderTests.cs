using System.Text.Json.Nodes;
using Google.Protobuf;
using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Protos.HParams;
using HParamsNet.Summaries;
using HParamsNet.Tests.Support;

namespace HParamsNet.Tests.Summaries;

/// <summary>
/// Our reader decodes TensorBoard's own files to exactly what TensorBoard's backend shows for them
/// (expected.json): runs, every scalar point, the written experiment, and every session's hparams,
/// group, times, status and metric values.
/// </summary>
public class GoldenReaderTests
{
    private static readonly EventFileReaderOptions AsTensorBoard = new() { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile };

    private static readonly JsonFormatter Json = new(JsonFormatter.Settings.Default.WithFormatDefaultValues(true));

    [TestCaseSource(typeof(Golden), nameof(Golden.Cases))]
    public void Runs_are_found(string caseName)
    {
        var expected = Golden.Expected(caseName)["runs"]!.AsArray().Select(n => n!.GetValue<string>()).Order(StringComparer.Ordinal);

        Assert.That(LogDirectory.FindRuns(Golden.LogDir(caseName)).Select(r => r.Name), Is.EqualTo(expected));
    }

    [TestCaseSource(typeof(Golden), nameof(Golden.Cases))]
    public void Every_scalar_point_is_decoded(string caseName)
    {
        JsonObject expected = Golden.Expected(caseName)["scalars"]!.AsObject();
        var actual = new JsonObject();
        foreach ((string run, Dictionary<string, List<(long Step, double Value)>> tags) in ReadScalars(caseName))
        {
            var runNode = new JsonObject();
            foreach ((string tag, List<(long Step, double Value)> points) in tags)
            {
                runNode[tag] = new JsonArray(points.Select(p => (JsonNode)new JsonArray(p.Step, p.Value)).ToArray());
            }

            actual[run] = runNode;
        }

        var expectedPoints = new JsonObject(expected.Select(run => KeyValuePair.Create(run.Key, (JsonNode?)new JsonObject(
            run.Value!.AsObject().Select(tag => KeyValuePair.Create(tag.Key, (JsonNode?)tag.Value!["points"]!.DeepClone()))))));
        Assert.That(JsonComparer.DeepEquals(actual, expectedPoints, out string difference), Is.True, difference);
    }

    [TestCaseSource(typeof(Golden), nameof(Golden.Cases))]
    public void The_written_experiment_is_decoded(string caseName)
    {
        Experiment? experiment = ReadHParams(caseName).Values.Select(d => d.Experiment).FirstOrDefault(e => e is not null);
        JsonObject expected = Golden.Expected(caseName)["hparams_experiment"]!.AsObject();
        if (experiment is null)
        {
            Assert.That(expected["timeCreatedSecs"]!.GetValue<double>(), Is.Zero, "TensorBoard inferred this experiment: no summary to decode");
            return;
        }

        // expected.json lists hparams by name and metrics by (group, tag); the file keeps declaration order.
        var sorted = experiment.Clone();
        var infos = sorted.HparamInfos.OrderBy(h => h.Name, StringComparer.Ordinal).ToList();
        sorted.HparamInfos.Clear();
        sorted.HparamInfos.AddRange(infos);
        var metrics = sorted.MetricInfos.OrderBy(m => m.Name.Group, StringComparer.Ordinal).ThenBy(m => m.Name.Tag, StringComparer.Ordinal).ToList();
        sorted.MetricInfos.Clear();
        sorted.MetricInfos.AddRange(metrics);
        JsonNode actual = JsonNode.Parse(Json.Format(sorted))!;

        Assert.That(JsonComparer.DeepEquals(actual, expected, out string difference), Is.True, difference);
    }

    [TestCaseSource(typeof(Golden), nameof(Golden.Cases))]
    public void Every_session_is_decoded(string caseName)
    {
        JsonObject expectedJson = Golden.Expected(caseName);
        var groups = expectedJson["session_groups"]!["default"]!["sessionGroups"]!.AsArray();
        var data = ReadHParams(caseName);
        var scalars = ReadScalars(caseName);

        Assert.That(data.Values.Count(d => d.Start is not null), Is.EqualTo(groups.Sum(g => g!["sessions"]!.AsArray().Count)));
        foreach (JsonNode? group in groups)
        {
            foreach (JsonNode? session in group!["sessions"]!.AsArray())
            {
                string name = session!["name"]!.GetValue<string>();
                (SessionStartInfo? start, SessionEndInfo? end, _) = data[name];
                Assert.That(start, Is.Not.Null, name);
                Assert.Multiple(() =>
                {
                    Assert.That(start!.GroupName.Length == 0 ? name : start.GroupName, Is.EqualTo(group["name"]!.GetValue<string>()), name);
                    Assert.That(start.StartTimeSecs, Is.EqualTo(session["startTimeSecs"]!.GetValue<double>()), name);
                    Assert.That(end?.EndTimeSecs ?? 0, Is.EqualTo(session["endTimeSecs"]!.GetValue<double>()), name);
                    Assert.That((end?.Status ?? Status.Unknown).ToString(), Is.EqualTo(StatusName(session["status"]!.GetValue<string>())), name);
                    JsonNode hparams = JsonNode.Parse(Json.Format(new Google.Protobuf.WellKnownTypes.Struct { Fields = { start.Hparams } }))!;
                    Assert.That(JsonComparer.DeepEquals(hparams, group["hparams"], out string difference), Is.True, $"{name}: {difference}");
                });

                foreach (JsonNode? metric in session["metricValues"]!.AsArray())
                {
                    string metricGroup = metric!["name"]!["group"]!.GetValue<string>();
                    string tag = metric["name"]!["tag"]!.GetValue<string>();
                    string run = metricGroup.Length == 0 ? name : $"{name}/{metricGroup}";
                    (long step, double value) = scalars[run][tag][^1];
                    Assert.That(step, Is.EqualTo(metric["trainingStep"]!.GetValue<long>()), $"{run} {tag}");
                    Assert.That(value, Is.EqualTo(metric["value"]!.GetValue<double>()), $"{run} {tag}");
                }
            }
        }
    }

    // "STATUS_SUCCESS" -> the C# enum name "Success".
    private static string StatusName(string protoName) =>
        string.Concat(protoName["STATUS_".Length..].Split('_').Select(w => w[..1] + w[1..].ToLowerInvariant()));

    private static Dictionary<string, Dictionary<string, List<(long Step, double Value)>>> ReadScalars(string caseName)
    {
        var runs = new Dictionary<string, Dictionary<string, List<(long, double)>>>();
        foreach (RunDirectory run in LogDirectory.FindRuns(Golden.LogDir(caseName)))
        {
            var tags = new Dictionary<string, List<(long, double)>>();
            var plugins = new Dictionary<string, string>();
            foreach (Event evt in EventFileReader.ReadRunEvents(run.Path, AsTensorBoard))
            {
                foreach (Summary.Types.Value value in evt.Summary?.Value ?? [])
                {
                    // The first metadata of a (run, tag) decides its plugin; v1 values are scalars.
                    string plugin = value.ValueCase == Summary.Types.Value.ValueOneofCase.SimpleValue
                        ? ScalarSummaries.PluginName
                        : value.Metadata?.PluginData?.PluginName ?? string.Empty;
                    plugins.TryAdd(value.Tag, plugin);
                    if (plugins[value.Tag] == ScalarSummaries.PluginName && ScalarSummaries.TryGetValue(value) is double number)
                    {
                        (tags.TryGetValue(value.Tag, out var points) ? points : tags[value.Tag] = []).Add((evt.Step, number));
                    }
                }
            }

            if (tags.Count > 0)
            {
                runs[run.Name] = tags;
            }
        }

        return runs;
    }

    private static Dictionary<string, (SessionStartInfo? Start, SessionEndInfo? End, Experiment? Experiment)> ReadHParams(string caseName)
    {
        var runs = new Dictionary<string, (SessionStartInfo?, SessionEndInfo?, Experiment?)>();
        foreach (RunDirectory run in LogDirectory.FindRuns(Golden.LogDir(caseName)))
        {
            SessionStartInfo? start = null;
            SessionEndInfo? end = null;
            Experiment? experiment = null;
            foreach (Event evt in EventFileReader.ReadRunEvents(run.Path, AsTensorBoard))
            {
                foreach (Summary.Types.Value value in evt.Summary?.Value ?? [])
                {
                    HParamsPluginData? data = HParamsSummaries.TryParse(value);
                    start ??= data?.SessionStartInfo; // the first one wins, as in TensorBoard
                    end ??= data?.SessionEndInfo;
                    experiment ??= data?.Experiment;
                }
            }

            runs[run.Name] = (start, end, experiment);
        }

        return runs;
    }
}
