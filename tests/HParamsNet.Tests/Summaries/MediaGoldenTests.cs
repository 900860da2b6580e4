using System.Buffers.Binary;
using System.Text.Json;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;

namespace HParamsNet.Tests.Summaries;

/// <summary>
/// Images and audio written from the inputs PyTorch's SummaryWriter was given (Assets/media, made by
/// eng/goldens/make_media_goldens.py), decoded and compared pixel for pixel and sample for sample
/// with PyTorch's files (its PNGs from PIL, its WAVs from Python's wave module).
/// </summary>
public class MediaGoldenTests
{
    private static string Goldens => Path.Combine(TestContext.CurrentContext.TestDirectory, "Assets", "media");

    private static JsonElement Data() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Goldens, "data.json"))).RootElement;

    private static List<(long Step, Summary.Types.Value Value)> Events(string run) =>
        [.. EventFileReader.ReadRunEvents(run).Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value.Select(v => (e.Step, v)))];

    // RGBA values of a PNG, pixel by pixel, whatever its colour type (grey is repeated into R, G and B).
    private static byte[] Pixels(byte[] png) => PngPixels.Decode(png, alpha: true);

    [Test]
    public void Images_decode_to_the_pixels_pytorch_wrote()
    {
        using var dir = new TempDirectory();
        var inputs = Data().GetProperty("images").EnumerateArray().ToList();
        using (SummaryWriter writer = SummaryWriter.Create(dir.Path))
        {
            foreach (JsonElement i in inputs)
            {
                List<byte[]> images = [.. i.GetProperty("images").EnumerateArray().Select(im => im.EnumerateArray().Select(v => (byte)v.GetInt32()).ToArray())];
                writer.Images(i.GetProperty("tag").GetString()!, images, i.GetProperty("height").GetInt32(), i.GetProperty("width").GetInt32(), i.GetProperty("channels").GetInt32(), i.GetProperty("step").GetInt64());
            }
        }

        var theirs = Events(Path.Combine(Goldens, "logdir", "media")).Where(e => e.Value.Image is not null).ToDictionary(e => (e.Value.Tag, e.Step), e => e.Value.Image);
        var ours = Events(dir.Path).ToDictionary(e => (e.Value.Tag, e.Step), e => e.Value);
        Assert.That(ours.Keys, Is.EquivalentTo(theirs.Keys));
        foreach (((string tag, long step), Summary.Types.Image image) in theirs)
        {
            Summary.Types.Value mine = ours[(tag, step)];
            Assert.That(mine.Metadata.PluginData.PluginName, Is.EqualTo("images"));
            Assert.That(mine.Metadata.DataClass, Is.EqualTo(DataClass.BlobSequence));
            string[] header = [mine.Tensor.StringVal[0].ToStringUtf8(), mine.Tensor.StringVal[1].ToStringUtf8()];
            byte[][] pngs = [.. mine.Tensor.StringVal.Skip(2).Select(b => b.ToByteArray())];

            // PyTorch tiles a batch into one image, side by side; TensorBoard's form keeps each.
            byte[] tiled = Tile(pngs, int.Parse(header[0], System.Globalization.CultureInfo.InvariantCulture), int.Parse(header[1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.That(tiled, Is.EqualTo(Pixels(image.EncodedImageString.ToByteArray())), $"image '{tag}' at step {step}, pixel for pixel");
            Assert.That(image.Width * image.Height, Is.EqualTo(int.Parse(header[0], System.Globalization.CultureInfo.InvariantCulture) * pngs.Length * int.Parse(header[1], System.Globalization.CultureInfo.InvariantCulture)));
        }
    }

    private static byte[] Tile(byte[][] pngs, int width, int height)
    {
        byte[][] decoded = [.. pngs.Select(Pixels)];
        var tiled = new byte[decoded.Sum(d => d.Length)];
        int row = width * 4;
        for (int y = 0; y < height; y++)
        {
            for (int k = 0; k < decoded.Length; k++)
            {
                Array.Copy(decoded[k], y * row, tiled, ((y * decoded.Length) + k) * row, row);
            }
        }

        return tiled;
    }

    [Test]
    public void Audio_decodes_to_the_samples_pytorch_wrote()
    {
        using var dir = new TempDirectory();
        var inputs = Data().GetProperty("audio").EnumerateArray().ToList();
        using (SummaryWriter writer = SummaryWriter.Create(dir.Path))
        {
            foreach (JsonElement a in inputs)
            {
                float[] samples = [.. a.GetProperty("samples").EnumerateArray().Select(v => (float)v.GetDouble())];
                writer.Audio(a.GetProperty("tag").GetString()!, samples, a.GetProperty("sample_rate").GetInt32(), a.GetProperty("step").GetInt64());
            }
        }

        var theirs = Events(Path.Combine(Goldens, "logdir", "media")).Where(e => e.Value.Audio is not null).ToDictionary(e => (e.Value.Tag, e.Step), e => e.Value.Audio);
        var ours = Events(dir.Path).ToDictionary(e => (e.Value.Tag, e.Step), e => e.Value);
        Assert.That(ours.Keys, Is.EquivalentTo(theirs.Keys));
        foreach (((string tag, long step), Summary.Types.Audio audio) in theirs)
        {
            Summary.Types.Value mine = ours[(tag, step)];
            byte[] wav = mine.Tensor.StringVal[0].ToByteArray();
            byte[] theirWav = audio.EncodedAudioString.ToByteArray();
            Assert.That(mine.Metadata.PluginData.PluginName, Is.EqualTo("audio"));
            Assert.That(mine.Tensor.TensorShape.Dim.Select(d => d.Size), Is.EqualTo(new long[] { 1 }), "one clip: a blob sequence is read as it stands");
            Assert.That(BinaryPrimitives.ReadInt32LittleEndian(wav.AsSpan(24)), Is.EqualTo((int)audio.SampleRate));
            Assert.That(BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(22)), Is.EqualTo(audio.NumChannels));
            Assert.That(wav.AsSpan(44).ToArray(), Is.EqualTo(theirWav.AsSpan(theirWav.Length - (wav.Length - 44)).ToArray()), $"clip '{tag}' at step {step}, sample for sample");
            Assert.That(wav, Is.EqualTo(theirWav), "the whole WAV file, header included");
        }
    }

    [Test]
    public void Bad_media_is_refused_naming_the_argument_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        using (SummaryWriter writer = SummaryWriter.Create(dir.Path))
        {
            Assert.That(() => writer.Image("i", new byte[11], 2, 2, 3, 0), Throws.ArgumentException.With.Message.Contains("has 11 bytes; a 2 x 2 image of 3 channel(s) has 12").And.Property("ParamName").EqualTo("images"));
            Assert.That(() => writer.Image("i", new byte[4], 1, 2, 2, 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("channels"));
            Assert.That(() => writer.Image("i", [0.5f, 1.5f, 0f], 1, 1, 3, 0), Throws.ArgumentException.With.Message.Contains("Pixel value 1 is 1.5").And.Property("ParamName").EqualTo("pixels"));
            Assert.That(() => writer.Audio("a", [0.5f], 0, 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("sampleRate"));
            Assert.That(() => writer.Audio("a", [0.5f, float.NaN], 8000, 0), Throws.ArgumentException.With.Message.Contains("Sample 1 is NaN").And.Property("ParamName").EqualTo("samples"));
            Assert.That(() => writer.Audio("a", [0.5f, 0.1f, 0.2f], 8000, 0, channels: 2), Throws.ArgumentException.With.Message.Contains("3 samples are not whole frames of 2 channels"));
        }

        Assert.That(Events(dir.Path), Is.Empty, "nothing was written");
    }
}
