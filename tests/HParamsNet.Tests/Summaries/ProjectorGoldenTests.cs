using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;
using HParamsNet.Tests.Support;

namespace HParamsNet.Tests.Summaries;

/// <summary>
/// The Custom Scalars layout and Projector embeddings written from the inputs PyTorch's
/// SummaryWriter was given (Assets/projector, made by eng/goldens/make_projector_goldens.py),
/// compared with PyTorch's files: the same layout, vectors, metadata, thumbnails and config entries.
/// </summary>
public class ProjectorGoldenTests
{
    private static string Goldens => Path.Combine(TestContext.CurrentContext.TestDirectory, "Assets", "projector");

    private static JsonElement Data() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Goldens, "data.json"))).RootElement;

    private static string Written(TempDirectory dir)
    {
        JsonElement data = Data();
        float[][] vectors = [.. data.GetProperty("vectors").EnumerateArray().Select(v => v.EnumerateArray().Select(x => (float)x.GetDouble()).ToArray())];
        string[] labels = [.. data.GetProperty("labels").EnumerateArray().Select(l => l.GetString()!)];

        // PyTorch's thumbnails are float32 CHW in [0, 1]; its sprite takes them times 255 in float64, truncated.
        int[] shape = [.. data.GetProperty("thumbnail_shape").EnumerateArray().Select(d => d.GetInt32())];
        (int c, int h, int w) = (shape[0], shape[1], shape[2]);
        List<byte[]> thumbnails = [.. data.GetProperty("thumbnails").EnumerateArray().Select(t =>
        {
            float[] chw = [.. t.EnumerateArray().Select(x => (float)x.GetDouble())];
            var hwc = new byte[h * w * c];
            for (int ch = 0; ch < c; ch++)
            {
                for (int i = 0; i < h * w; i++)
                {
                    hwc[(i * c) + ch] = (byte)(chw[(ch * h * w) + i] * 255.0);
                }
            }

            return hwc;
        })];

        using (SummaryWriter writer = SummaryWriter.Create(dir.Path))
        {
            writer.CustomScalars(new CustomScalarLayout([new CustomScalarCategory("Training",
            [
                new MultilineChart("loss", ["loss/train", "loss/validation"]),
                new MarginChart("accuracy", [new MarginSeries("accuracy/mean", "accuracy/low", "accuracy/high")]),
            ])]));
            writer.Embedding("animals", vectors, 0, labels, new Sprite(thumbnails, h, w, c));
            IReadOnlyList<IReadOnlyList<string>> rows = [.. data.GetProperty("rows").EnumerateArray().Select(r => (IReadOnlyList<string>)[.. r.EnumerateArray().Select(x => x.GetString()!)])];
            writer.Embedding("columns", vectors, 3, [.. data.GetProperty("header").EnumerateArray().Select(x => x.GetString()!)], rows);
        }

        return dir.Path;
    }

    private static Layout LayoutOf(string run) =>
        Layout.Parser.ParseFrom(EventFileReader.ReadRunEvents(run).Where(e => e.Summary is not null).SelectMany(e => e.Summary.Value).Single(v => v.Tag == CustomScalarLayout.Tag).Tensor.StringVal[0]);

    private static Dictionary<string, string> Entries(string run) =>
        Regex.Matches(File.ReadAllText(Path.Combine(run, "projector_config.pbtxt")), "embeddings \\{(.*?)\\n\\}", RegexOptions.Singleline)
            .ToDictionary(m => Regex.Match(m.Value, "tensor_name: \"([^\"]+)\"").Groups[1].Value, m => string.Join("\n", m.Groups[1].Value.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).Order(StringComparer.Ordinal)));

    private static byte[] Pixels(string png) => PngPixels.Decode(File.ReadAllBytes(png), alpha: false);

    [Test]
    public void The_custom_scalars_layout_is_pytorchs()
    {
        using var dir = new TempDirectory();
        string ours = Written(dir);

        Assert.That(LayoutOf(ours), Is.EqualTo(LayoutOf(Path.Combine(Goldens, "logdir"))));
    }

    [Test]
    public void Embeddings_hold_pytorchs_vectors_metadata_thumbnails_and_config()
    {
        using var dir = new TempDirectory();
        string ours = Written(dir);
        string theirs = Path.Combine(Goldens, "logdir");

        Assert.That(Entries(ours), Is.EqualTo(Entries(theirs)), "the same config entries (fields in any order)");
        foreach (string embedding in new[] { "00000/animals", "00003/columns" })
        {
            float[][] Vectors(string run) => [.. File.ReadAllLines(Path.Combine(run, embedding, "tensors.tsv")).Select(l => l.Split('\t').Select(x => float.Parse(x, CultureInfo.InvariantCulture)).ToArray())];
            Assert.That(Vectors(ours), Is.EqualTo(Vectors(theirs)), $"{embedding}: the vectors (float32)");
            Assert.That(File.ReadAllText(Path.Combine(ours, embedding, "metadata.tsv")), Is.EqualTo(File.ReadAllText(Path.Combine(theirs, embedding, "metadata.tsv"))), embedding);
        }

        Assert.That(Pixels(Path.Combine(ours, "00000/animals/sprite.png")), Is.EqualTo(Pixels(Path.Combine(theirs, "00000/animals/sprite.png"))), "the sprite, pixel for pixel");
    }

    [Test]
    public void A_second_embedding_keeps_the_first_listed_and_bad_input_writes_nothing()
    {
        using var dir = new TempDirectory();
        using (SummaryWriter first = SummaryWriter.Create(dir.Path))
        {
            first.Embedding("a", [[1f, 2f]], 0);
        }

        using (SummaryWriter second = SummaryWriter.Create(dir.Path))
        {
            second.Embedding("b", [[1f, 2f]], 0);
            Assert.That(() => second.Embedding("c", [[1f, 2f], [3f]], 1), Throws.ArgumentException.With.Message.Contains("Vector 1 is not 2 finite values").And.Property("ParamName").EqualTo("vectors"));
            Assert.That(() => second.Embedding("c", [[1f, float.NaN]], 1), Throws.ArgumentException.With.Property("ParamName").EqualTo("vectors"));
            Assert.That(() => second.Embedding("c", [[1f], [2f]], 1, ["one"]), Throws.ArgumentException.With.Message.Contains("1 metadata rows for 2 vectors"));
            Assert.That(() => second.Embedding("c", [[1f]], 1, sprite: new Sprite([new byte[5]], 2, 2, 1)), Throws.ArgumentException.With.Message.Contains("Sprite image 0 has 5 bytes"));
            Assert.That(() => second.Embedding("a/b", [[1f]], 1), Throws.ArgumentException.With.Message.Contains("names a directory"));
            Assert.That(() => second.Embedding("b", [[1f, 2f]], 0), Throws.InstanceOf<IOException>().With.Message.Contains("nothing was overwritten"));
            Assert.That(() => second.CustomScalars(new CustomScalarLayout([])), Throws.ArgumentException.With.Message.Contains("at least one category"));
        }

        Assert.That(Entries(dir.Path).Keys, Is.EquivalentTo(new[] { "a:00000", "b:00000" }), "both listed, nothing for the refused ones");
        Assert.That(Directory.Exists(Path.Combine(dir.Path, "00001")), Is.False, "no directory for a refused embedding");
    }
}
