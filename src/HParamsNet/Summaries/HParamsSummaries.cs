using Google.Protobuf;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Protos.HParams;

namespace HParamsNet.Summaries;

/// <summary>
/// Builds the three summaries of TensorBoard's HParams plugin, as its Python writer does: each is
/// one value with a reserved tag, the plugin's metadata, and the null tensor.
/// </summary>
public static class HParamsSummaries
{
    /// <summary>The HParams plugin's name in summary metadata.</summary>
    public const string PluginName = "hparams";

    /// <summary>Tag of the experiment (hparams config) summary.</summary>
    public const string ExperimentTag = "_hparams_/experiment";

    /// <summary>Tag of a session's start summary (its hparams).</summary>
    public const string SessionStartInfoTag = "_hparams_/session_start_info";

    /// <summary>Tag of a session's end summary (its status).</summary>
    public const string SessionEndInfoTag = "_hparams_/session_end_info";

    /// <summary>The prefix reserved for the tags above.</summary>
    public const string ReservedTagPrefix = "_hparams_/";

    /// <summary>The experiment summary: every hparam (type, domain) and metric of <paramref name="experiment"/>.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="timeCreated">When the experiment was created.</param>
    public static Summary Experiment(HParamsExperiment experiment, DateTimeOffset timeCreated)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        return Build(ExperimentTag, new HParamsPluginData { Experiment = experiment.ToProto(UnixTime.ToSeconds(timeCreated)) });
    }

    /// <summary>The experiment summary of an experiment as recorded (a study storage keeps it so), written as it is.</summary>
    /// <param name="experiment">The recorded experiment.</param>
    internal static Summary Experiment(Experiment experiment) => Build(ExperimentTag, new HParamsPluginData { Experiment = experiment.Clone() });

    /// <summary>A session's start summary.</summary>
    /// <param name="hparams">The session's values by hparam name.</param>
    /// <param name="groupName">The session group; <see langword="null"/> derives it from the values as TensorBoard's Python writer does (<see cref="SessionGroupName"/>).</param>
    /// <param name="startTime">When the session started.</param>
    /// <param name="modelUri">Passed through to TensorBoard's session record.</param>
    /// <param name="monitorUrl">Passed through to TensorBoard's session record.</param>
    /// <exception cref="ArgumentException">A value is null, NaN, infinite or not a number, string or bool.</exception>
    public static Summary SessionStart(
        IReadOnlyDictionary<string, object> hparams,
        string? groupName,
        DateTimeOffset startTime,
        string modelUri = "",
        string monitorUrl = "")
    {
        ArgumentNullException.ThrowIfNull(hparams);
        var info = new SessionStartInfo
        {
            GroupName = groupName ?? SessionGroupName.Derive(hparams),
            StartTimeSecs = UnixTime.ToSeconds(startTime),
            ModelUri = modelUri ?? string.Empty,
            MonitorUrl = monitorUrl ?? string.Empty,
        };

        // Python inserts in sorted key order; protobuf maps serialise in insertion order here.
        foreach ((string name, object value) in hparams.OrderBy(pair => pair.Key, Comparer<string>.Create((a, b) => HParamValues.Compare(a, b))))
        {
            info.Hparams.Add(name, HParamValues.ToProto(HParamValues.Normalize(name, value)));
        }

        return Build(SessionStartInfoTag, new HParamsPluginData { SessionStartInfo = info });
    }

    /// <summary>A session's end summary. TensorBoard keeps the first one of a run: write it once.</summary>
    /// <param name="status">How the session ended.</param>
    /// <param name="endTime">When it ended.</param>
    public static Summary SessionEnd(SessionStatus status, DateTimeOffset endTime)
    {
        if (!Enum.IsDefined(status))
        {
            throw new ArgumentException($"Session status {(int)status} is not one of Unknown, Success, Failure, Running.", nameof(status));
        }

        var info = new SessionEndInfo { Status = (Status)status, EndTimeSecs = UnixTime.ToSeconds(endTime) };
        return Build(SessionEndInfoTag, new HParamsPluginData { SessionEndInfo = info });
    }

    /// <summary>Decodes the plugin data of an hparams summary value, or <see langword="null"/> if it is not one.</summary>
    /// <param name="value">A summary value.</param>
    /// <exception cref="InvalidProtocolBufferException">The plugin content is not valid.</exception>
    internal static HParamsPluginData? TryParse(Summary.Types.Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return value.Metadata?.PluginData?.PluginName == PluginName
            ? HParamsPluginData.Parser.ParseFrom(value.Metadata.PluginData.Content)
            : null;
    }

    /// <summary>
    /// Decodes the plugin data of an hparams summary value without throwing: false when the value
    /// is not an hparams summary; true with <paramref name="error"/> set when its content is damaged.
    /// </summary>
    internal static bool TryDecode(Summary.Types.Value value, out HParamsPluginData? data, out string? error)
    {
        data = null;
        error = null;
        if (value.Metadata?.PluginData?.PluginName != PluginName)
        {
            return false;
        }

        try
        {
            data = HParamsPluginData.Parser.ParseFrom(value.Metadata.PluginData.Content);
        }
        catch (InvalidProtocolBufferException e)
        {
            error = $"tag '{value.Tag}': {e.Message}";
        }

        return true;
    }

    private static Summary Build(string tag, HParamsPluginData data)
    {
        var value = new Summary.Types.Value
        {
            Tag = tag,
            Metadata = new SummaryMetadata
            {
                PluginData = new SummaryMetadata.Types.PluginData { PluginName = PluginName, Content = data.ToByteString() },
            },
            Tensor = NullTensor(),
        };
        return new Summary { Value = { value } };
    }

    // DT_FLOAT with shape [0]: TensorBoard never reads it, but fails if it is missing.
    private static TensorProto NullTensor() => new()
    {
        Dtype = Protos.DataType.DtFloat,
        TensorShape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dim { Size = 0 } } },
    };
}
