using System.Globalization;
using Google.Protobuf;
using HParamsNet.Protos;

namespace HParamsNet.Summaries;

/// <summary>
/// Image and audio summaries, shown in TensorBoard's Images and Audio dashboards, in the tensor
/// forms of <c>tf.summary.image</c> (a string vector: width, height, then PNGs) and
/// <c>tf.summary.audio</c> (its clips, without their empty labels), as blob sequences.
/// </summary>
public static class MediaSummaries
{
    /// <summary>The images plugin's name in summary metadata.</summary>
    public const string ImagesPluginName = "images";

    /// <summary>The audio plugin's name in summary metadata.</summary>
    public const string AudioPluginName = "audio";

    /// <summary>TensorBoard's default for how many images or clips of one step are kept.</summary>
    public const int DefaultMaxOutputs = 3;

    /// <summary>An image summary of one or more images of one size, 8-bit, height x width x channels (HWC) each.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="images">The images' pixels; each height x width x channels bytes.</param>
    /// <param name="height">Rows.</param>
    /// <param name="width">Columns.</param>
    /// <param name="channels">1 (grey), 3 (RGB) or 4 (RGBA).</param>
    /// <param name="maxOutputs">Images kept at most (the first ones).</param>
    /// <exception cref="ArgumentException">No image, channels not 1, 3 or 4, a size below 1, or an image whose pixel count is not height x width x channels.</exception>
    public static Summary Image(string tag, IReadOnlyList<byte[]> images, int height, int width, int channels, int maxOutputs = DefaultMaxOutputs)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentNullException.ThrowIfNull(images);
        CheckImage(height, width, channels);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOutputs, 1);
        if (images.Count == 0)
        {
            throw new ArgumentException("An image summary needs at least one image.", nameof(images));
        }

        long expected = (long)height * width * channels;
        var tensor = new TensorProto { Dtype = DataType.DtString };
        tensor.StringVal.Add(ByteString.CopyFromUtf8(width.ToString(CultureInfo.InvariantCulture)));
        tensor.StringVal.Add(ByteString.CopyFromUtf8(height.ToString(CultureInfo.InvariantCulture)));
        for (int i = 0; i < Math.Min(images.Count, maxOutputs); i++)
        {
            byte[] pixels = images[i] ?? throw new ArgumentException($"Image {i} is null.", nameof(images));
            if (pixels.Length != expected)
            {
                throw new ArgumentException($"Image {i} has {pixels.Length} bytes; a {height} x {width} image of {channels} channel(s) has {expected} (height x width x channels, row by row).", nameof(images));
            }

            tensor.StringVal.Add(UnsafeByteOperations.UnsafeWrap(PngEncoder.Encode(pixels, height, width, channels)));
        }

        tensor.TensorShape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dim { Size = tensor.StringVal.Count } } };
        return Blobs(tag, ImagesPluginName, ByteString.Empty, tensor);
    }

    /// <summary>An image's 8-bit pixels from floats in [0, 1], as PyTorch converts them (times 255, truncated).</summary>
    /// <param name="pixels">The pixels, each in [0, 1].</param>
    /// <exception cref="ArgumentException">A value outside [0, 1] or NaN; the message gives its index.</exception>
    public static byte[] ToBytes(ReadOnlySpan<float> pixels)
    {
        var bytes = new byte[pixels.Length];
        for (int i = 0; i < pixels.Length; i++)
        {
            float v = pixels[i];
            if (!(v >= 0 && v <= 1))
            {
                throw new ArgumentException($"Pixel value {i} is {v}; float pixels are in [0, 1] (bytes take 0-255).", nameof(pixels));
            }

            bytes[i] = (byte)(v * 255f);
        }

        return bytes;
    }

    /// <summary>An audio summary of one clip: float samples in [-1, 1], interleaved by channel, as 16-bit PCM WAV.</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="samples">The samples, frame by frame (all channels of a frame together).</param>
    /// <param name="sampleRate">Samples per second per channel; above 0.</param>
    /// <param name="channels">Channels; at least 1, and dividing the sample count.</param>
    /// <exception cref="ArgumentException">A sample outside [-1, 1] or NaN, a sample rate or channel count below 1, or samples not a whole number of frames.</exception>
    public static Summary Audio(string tag, ReadOnlySpan<float> samples, int sampleRate, int channels = 1)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        ArgumentOutOfRangeException.ThrowIfLessThan(sampleRate, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        if (samples.Length % channels != 0)
        {
            throw new ArgumentException($"{samples.Length} samples are not whole frames of {channels} channels.", nameof(samples));
        }

        for (int i = 0; i < samples.Length; i++)
        {
            if (!(samples[i] >= -1 && samples[i] <= 1))
            {
                throw new ArgumentException($"Sample {i} is {samples[i]}; audio samples are in [-1, 1].", nameof(samples));
            }
        }

        var tensor = new TensorProto
        {
            Dtype = DataType.DtString,
            // A blob sequence of clips, rank 1: what TensorBoard makes of tf.summary.audio's
            // (clip, label) rows when it reads them; written so here, it is read as it stands.
            TensorShape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dim { Size = 1 } } },
            StringVal = { UnsafeByteOperations.UnsafeWrap(WavEncoder.Encode(samples, channels, sampleRate)) },
        };
        return Blobs(tag, AudioPluginName, new AudioPluginData { Encoding = AudioPluginData.Types.Encoding.Wav }.ToByteString(), tensor);
    }

    private static void CheckImage(int height, int width, int channels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(height, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        if (channels is not (1 or 3 or 4))
        {
            throw new ArgumentOutOfRangeException(nameof(channels), channels, "An image has 1 (grey), 3 (RGB) or 4 (RGBA) channels.");
        }
    }

    private static Summary Blobs(string tag, string plugin, ByteString content, TensorProto tensor) => new()
    {
        Value =
        {
            new Summary.Types.Value
            {
                Tag = tag,
                Metadata = new SummaryMetadata
                {
                    PluginData = new SummaryMetadata.Types.PluginData { PluginName = plugin, Content = content },
                    DataClass = DataClass.BlobSequence,
                },
                Tensor = tensor,
            },
        },
    };
}
