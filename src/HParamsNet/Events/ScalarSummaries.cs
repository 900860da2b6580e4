using Google.Protobuf;
using HParamsNet.Protos;

namespace HParamsNet.Events;

/// <summary>
/// Builds and reads scalar summaries as TensorFlow 2 writes them (a float32 rank-0 tensor): the
/// scalars plugin's wire format, kept with the event layer, whose encoder and decoder read and
/// write it directly on their fast paths.
/// </summary>
public static class ScalarSummaries
{
    /// <summary>The scalars plugin's name in summary metadata.</summary>
    public const string PluginName = "scalars";

    /// <summary>
    /// The metadata the first value of each tag in a file carries: the scalars plugin, version 0
    /// (empty content). The data class is left unset, as TensorFlow writes it; TensorBoard fills
    /// it in on load.
    /// </summary>
    /// <param name="displayName">Optional display name.</param>
    /// <param name="description">Optional Markdown description.</param>
    public static SummaryMetadata Metadata(string displayName = "", string description = "") => new()
    {
        PluginData = new SummaryMetadata.Types.PluginData { PluginName = PluginName, Content = ByteString.Empty },
        DisplayName = displayName ?? string.Empty,
        SummaryDescription = description ?? string.Empty,
    };

    /// <summary>A scalar summary value.</summary>
    /// <param name="tag">The series name.</param>
    /// <param name="value">The value, stored as float32.</param>
    /// <param name="metadata">The tag's metadata, for its first value in a file; <see langword="null"/> otherwise.</param>
    public static Summary Scalar(string tag, float value, SummaryMetadata? metadata)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        var summaryValue = new Summary.Types.Value
        {
            Tag = tag,
            Tensor = new TensorProto { Dtype = DataType.DtFloat, TensorShape = new TensorShapeProto(), FloatVal = { value } },
        };
        if (metadata is not null)
        {
            summaryValue.Metadata = metadata;
        }

        return new Summary { Value = { summaryValue } };
    }

    /// <summary>
    /// The value of a scalar summary value as TensorBoard reads it: v1 <c>simple_value</c>, or a
    /// one-element tensor of a float, double or integer type; <see langword="null"/> otherwise.
    /// </summary>
    /// <param name="value">A summary value.</param>
    public static double? TryGetValue(Summary.Types.Value value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.ValueCase == Summary.Types.Value.ValueOneofCase.SimpleValue)
        {
            return value.SimpleValue;
        }

        if (value.ValueCase != Summary.Types.Value.ValueOneofCase.Tensor)
        {
            return null;
        }

        TensorProto t = value.Tensor;
        ReadOnlySpan<byte> content = t.TensorContent.Span;
        return t.Dtype switch
        {
            DataType.DtFloat when t.FloatVal.Count == 1 => t.FloatVal[0],
            DataType.DtFloat when content.Length == 4 => System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(content),
            DataType.DtDouble when t.DoubleVal.Count == 1 => t.DoubleVal[0],
            DataType.DtDouble when content.Length == 8 => System.Buffers.Binary.BinaryPrimitives.ReadDoubleLittleEndian(content),
            DataType.DtInt32 when t.IntVal.Count == 1 => t.IntVal[0],
            DataType.DtInt64 when t.Int64Val.Count == 1 => t.Int64Val[0],
            _ => null,
        };
    }
}
