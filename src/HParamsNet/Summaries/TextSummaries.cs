using Google.Protobuf;
using HParamsNet.Protos;

namespace HParamsNet.Summaries;

/// <summary>Text summaries, shown in TensorBoard's Text dashboard (Markdown).</summary>
public static class TextSummaries
{
    /// <summary>The text plugin's name in summary metadata.</summary>
    public const string PluginName = "text";

    /// <summary>A text summary: a rank-0 DT_STRING tensor with the text plugin's metadata.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="text">Markdown.</param>
    public static Summary Text(string tag, string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentNullException.ThrowIfNull(text);
        var value = new Summary.Types.Value
        {
            Tag = tag,
            Metadata = new SummaryMetadata
            {
                PluginData = new SummaryMetadata.Types.PluginData { PluginName = PluginName },
                DataClass = DataClass.Tensor,
            },
            Tensor = new TensorProto { Dtype = DataType.DtString, TensorShape = new TensorShapeProto(), StringVal = { ByteString.CopyFromUtf8(text) } },
        };
        return new Summary { Value = { value } };
    }
}
