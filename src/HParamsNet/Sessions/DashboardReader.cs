using System.Buffers.Binary;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Summaries;

namespace HParamsNet.Sessions;

/// <summary>
/// Reads a run's histograms, images, audio, text, PR curves, Custom Scalars layout and projector
/// embeddings as typed values. A tag's kind is
/// its first value's plugin, as TensorBoard decides it; the older messages PyTorch and TF 1 write
/// (<c>HistogramProto</c>, <c>Summary.Image</c>, <c>Summary.Audio</c>) read as TensorBoard migrates them.
/// </summary>
public static class DashboardReader
{
    private const string ProjectorConfigFile = "projector_config.pbtxt";

    /// <summary>Everything of the run at <paramref name="runDirectory"/> (its event files, not its sub-runs).</summary>
    /// <param name="runDirectory">The run's directory.</param>
    /// <param name="options">Reader options; a damaged record stops the file by default.</param>
    public static RunDashboards Read(string runDirectory, EventFileReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        var plugins = new Dictionary<string, string>(StringComparer.Ordinal);
        var histograms = new Dictionary<string, List<HistogramValue>>(StringComparer.Ordinal);
        var images = new Dictionary<string, List<ImagesValue>>(StringComparer.Ordinal);
        var audio = new Dictionary<string, List<AudioValue>>(StringComparer.Ordinal);
        var texts = new Dictionary<string, List<TextValue>>(StringComparer.Ordinal);
        var curves = new Dictionary<string, List<PrCurveValue>>(StringComparer.Ordinal);
        CustomScalarLayout? layout = null;
        foreach (Event e in EventFileReader.ReadRunEvents(runDirectory, options))
        {
            if (e.Summary is null)
            {
                continue;
            }

            DateTimeOffset wall = UnixTime.FromSecondsOrEpoch(e.WallTime);
            foreach (Summary.Types.Value value in e.Summary.Value)
            {
                string plugin = PluginOf(value, plugins);
                switch (plugin)
                {
                    case HistogramSummaries.PluginName:
                        Add(histograms, value.Tag, new HistogramValue(e.Step, wall, value.Histo is { } histo ? FromHistogramProto(histo) : Rows(value.Tensor)));
                        break;
                    case MediaSummaries.ImagesPluginName when value.Image is { } image:
                        Add(images, value.Tag, new ImagesValue(e.Step, wall, image.Width, image.Height, [image.EncodedImageString.ToByteArray()]));
                        break;
                    case MediaSummaries.ImagesPluginName when value.Tensor is { StringVal.Count: >= 2 } tensor:
                        Add(images, value.Tag, new ImagesValue(e.Step, wall, int.Parse(tensor.StringVal[0].ToStringUtf8(), System.Globalization.CultureInfo.InvariantCulture), int.Parse(tensor.StringVal[1].ToStringUtf8(), System.Globalization.CultureInfo.InvariantCulture), [.. tensor.StringVal.Skip(2).Select(b => b.ToByteArray())]));
                        break;
                    case MediaSummaries.AudioPluginName when value.Audio is { } clip:
                        Add(audio, value.Tag, new AudioValue(e.Step, wall, [clip.EncodedAudioString.ToByteArray()]));
                        break;
                    case MediaSummaries.AudioPluginName when value.Tensor is { } tensor:
                        Add(audio, value.Tag, new AudioValue(e.Step, wall, Clips(tensor)));
                        break;
                    case TextSummaries.PluginName when value.Tensor is { StringVal.Count: > 0 } tensor:
                        Add(texts, value.Tag, new TextValue(e.Step, wall, string.Join("\n", tensor.StringVal.Select(s => s.ToStringUtf8()))));
                        break;
                    case PrCurveSummaries.PluginName when value.Tensor is { } tensor:
                        Add(curves, value.Tag, Curve(e.Step, wall, tensor));
                        break;
                    case CustomScalarLayout.PluginName when value.Tag == CustomScalarLayout.Tag && value.Tensor is { StringVal.Count: > 0 } tensor:
                        layout = LayoutOf(tensor, runDirectory, options) ?? layout; // the last one, as TensorBoard shows it
                        break;
                }
            }
        }

        string projectorConfig = Path.Combine(runDirectory, ProjectorConfigFile);
        return new RunDashboards
        {
            Histograms = Ordered(histograms),
            Images = Ordered(images),
            Audio = Ordered(audio),
            Texts = Ordered(texts),
            PrCurves = Ordered(curves),
            CustomScalars = layout,
            Embeddings = File.Exists(projectorConfig) ? ProjectorConfigReader.Read(projectorConfig, runDirectory) : [],
        };
    }

    /// <summary>How many tags of each of these dashboards a run has, by the plugin's name (for a listing); for custom scalars its layout's charts, for the projector its embeddings.</summary>
    /// <param name="dashboards">What <see cref="Read"/> returned.</param>
    public static IReadOnlyDictionary<string, int> TagCounts(RunDashboards dashboards)
    {
        ArgumentNullException.ThrowIfNull(dashboards);
        return new Dictionary<string, int>(StringComparer.Ordinal)
        {
            ["histograms"] = dashboards.Histograms.Count,
            ["images"] = dashboards.Images.Count,
            ["audio"] = dashboards.Audio.Count,
            ["text"] = dashboards.Texts.Count,
            ["pr_curves"] = dashboards.PrCurves.Count,
            ["custom_scalars"] = dashboards.CustomScalars?.Categories.Sum(c => c.Charts.Count) ?? 0,
            ["projector"] = dashboards.Embeddings.Count,
        };
    }

    // A damaged layout is reported and passed over, as damaged hparams content is.
    private static CustomScalarLayout? LayoutOf(TensorProto tensor, string runDirectory, EventFileReaderOptions? options)
    {
        try
        {
            return CustomScalarLayout.FromProto(Layout.Parser.ParseFrom(tensor.StringVal[0]));
        }
        catch (Google.Protobuf.InvalidProtocolBufferException e)
        {
            options?.ProblemReported?.Invoke(EventFileProblem.Create(runDirectory, 0, EventFileProblemKind.InvalidPluginData, $"its Custom Scalars layout ('{CustomScalarLayout.Tag}') is not a layout message ({e.Message})"));
            return null;
        }
    }

    // The plugin a tag's first value names (TensorBoard keeps a tag's first metadata); the older
    // messages carry none and name their own kind.
    private static string PluginOf(Summary.Types.Value value, Dictionary<string, string> plugins)
    {
        if (plugins.TryGetValue(value.Tag, out string? known))
        {
            return known;
        }

        string plugin = value.Metadata?.PluginData?.PluginName is { Length: > 0 } name ? name
            : value.Histo is not null ? HistogramSummaries.PluginName
            : value.Image is not null ? MediaSummaries.ImagesPluginName
            : value.Audio is not null ? MediaSummaries.AudioPluginName
            : string.Empty;
        plugins[value.Tag] = plugin;
        return plugin;
    }

    private static void Add<T>(Dictionary<string, List<T>> byTag, string tag, T value)
    {
        if (!byTag.TryGetValue(tag, out List<T>? list))
        {
            byTag[tag] = list = [];
        }

        list.Add(value);
    }

    private static Dictionary<string, IReadOnlyList<T>> Ordered<T>(Dictionary<string, List<T>> byTag) =>
        byTag.ToDictionary(p => p.Key, p => (IReadOnlyList<T>)p.Value, StringComparer.Ordinal);

    private static double[] Numbers(TensorProto tensor)
    {
        if (!tensor.TensorContent.IsEmpty)
        {
            ReadOnlySpan<byte> bytes = tensor.TensorContent.Span;
            int size = tensor.Dtype == DataType.DtDouble ? sizeof(double) : sizeof(float);
            var values = new double[bytes.Length / size];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = size == sizeof(double) ? BinaryPrimitives.ReadDoubleLittleEndian(bytes[(i * size)..]) : BinaryPrimitives.ReadSingleLittleEndian(bytes[(i * size)..]);
            }

            return values;
        }

        return tensor.Dtype == DataType.DtDouble ? [.. tensor.DoubleVal] : [.. tensor.FloatVal.Select(f => (double)f)];
    }

    private static List<(double, double, double)> Rows(TensorProto tensor)
    {
        double[] n = Numbers(tensor);
        return [.. Enumerable.Range(0, n.Length / 3).Select(i => (n[3 * i], n[(3 * i) + 1], n[(3 * i) + 2]))];
    }

    // As TensorBoard migrates the older message: empty buckets at both ends dropped, the first left
    // edge the minimum and the last right edge the maximum.
    private static List<(double, double, double)> FromHistogramProto(HistogramProto histo)
    {
        var counts = histo.Bucket;
        int start = Enumerable.Range(0, counts.Count).FirstOrDefault(i => counts[i] > 0, counts.Count);
        int end = Enumerable.Range(0, counts.Count).Reverse().FirstOrDefault(i => counts[i] > 0, -1);
        var rows = new List<(double, double, double)>();
        for (int i = start; i <= end; i++)
        {
            rows.Add((i == start ? histo.Min : histo.BucketLimit[i - 1], i == end ? histo.Max : histo.BucketLimit[i], counts[i]));
        }

        return rows;
    }

    // Clips of a rank-1 tensor, or the first column of tf.summary.audio's (clip, label) rows.
    private static List<byte[]> Clips(TensorProto tensor)
    {
        int stride = tensor.TensorShape.Dim.Count > 1 ? (int)tensor.TensorShape.Dim.Skip(1).Aggregate(1L, (a, d) => a * d.Size) : 1;
        return [.. tensor.StringVal.Where((_, i) => i % stride == 0).Select(s => s.ToByteArray())];
    }

    private static PrCurveValue Curve(long step, DateTimeOffset wall, TensorProto tensor)
    {
        float[] n = [.. Numbers(tensor).Select(v => (float)v)];
        int t = n.Length / 6;
        float[] Row(int r) => n[(r * t)..((r + 1) * t)];
        return new PrCurveValue(step, wall, Row(0), Row(1), Row(2), Row(3), Row(4), Row(5));
    }
}
