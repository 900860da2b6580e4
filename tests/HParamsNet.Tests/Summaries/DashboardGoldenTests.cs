using System.Text.Json;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;

namespace HParamsNet.Tests.Summaries;

/// <summary>
/// Histograms, PR curves and text written from the inputs TensorBoard's own summary code was given
/// (Assets/dashboards, made by eng/goldens/make_dashboard_goldens.py): the same tensors, value for
/// value, and the same plugin metadata, as TensorBoard's files hold.
/// </summary>
public class DashboardGoldenTests
{
    private static string Goldens => Path.Combine(TestContext.CurrentContext.TestDirectory, "Assets", "dashboards");

    private static JsonElement Data() => JsonDocument.Parse(File.ReadAllText(Path.Combine(Goldens, "data.json"))).RootElement;

    // Each summary value of a golden run, by tag and step.
    private static Dictionary<(string Tag, long Step), Summary.Types.Value> Golden(string run) => Ours(Path.Combine(Goldens, "logdir", run));

    // Each summary value of a run directory, by tag and step.
    private static Dictionary<(string Tag, long Step), Summary.Types.Value> Ours(string dir) =>
        EventFileReader.ReadRunEvents(dir)
            .Where(e => e.Summary is not null)
            .SelectMany(e => e.Summary.Value.Select(v => (e.Step, Value: v)))
            .ToDictionary(p => (p.Value.Tag, p.Step), p => p.Value);

    private static void AssertSameTensor(Summary.Types.Value ours, Summary.Types.Value theirs, string what)
    {
        Assert.That(ours.Tensor.Dtype, Is.EqualTo(theirs.Tensor.Dtype), what);
        Assert.That(ours.Tensor.TensorShape.Dim.Select(d => d.Size), Is.EqualTo(theirs.Tensor.TensorShape.Dim.Select(d => d.Size)), what);
        Assert.That(ours.Tensor.TensorContent.ToByteArray(), Is.EqualTo(theirs.Tensor.TensorContent.ToByteArray()), $"{what}: the tensor's bytes");
        Assert.That(ours.Tensor.StringVal.Select(s => s.ToStringUtf8()), Is.EqualTo(theirs.Tensor.StringVal.Select(s => s.ToStringUtf8())), what);
        Assert.That(ours.Metadata.PluginData.PluginName, Is.EqualTo(theirs.Metadata.PluginData.PluginName), what);
        Assert.That(ours.Metadata.PluginData.Content, Is.EqualTo(theirs.Metadata.PluginData.Content), $"{what}: the plugin's data");
    }

    [Test]
    public void Histograms_hold_the_buckets_tensorboard_computes_bit_for_bit()
    {
        using var dir = new TempDirectory();
        var inputs = Data().GetProperty("histograms").EnumerateArray().ToList();
        using (SummaryWriter writer = SummaryWriter.Create(dir.Path))
        {
            foreach (JsonElement h in inputs)
            {
                writer.Histogram(h.GetProperty("tag").GetString()!, [.. h.GetProperty("values").EnumerateArray().Select(v => v.GetDouble())], h.GetProperty("step").GetInt64(), h.GetProperty("buckets").GetInt32());
            }
        }

        var golden = Golden("histograms");
        var ours = Ours(dir.Path);
        Assert.That(ours.Keys, Is.EquivalentTo(golden.Keys));
        foreach (((string tag, long step), Summary.Types.Value theirs) in golden)
        {
            AssertSameTensor(ours[(tag, step)], theirs, $"histogram '{tag}' at step {step}");
        }
    }

    [Test]
    public void Pr_curves_hold_the_counts_and_rates_tensorboard_computes_bit_for_bit()
    {
        using var dir = new TempDirectory();
        var inputs = Data().GetProperty("pr_curves").EnumerateArray().ToList();
        using (SummaryWriter writer = SummaryWriter.Create(dir.Path))
        {
            foreach (JsonElement c in inputs)
            {
                bool[] labels = [.. c.GetProperty("labels").EnumerateArray().Select(v => v.GetBoolean())];
                float[] predictions = [.. c.GetProperty("predictions").EnumerateArray().Select(v => (float)v.GetDouble())];
                writer.PrCurve(c.GetProperty("tag").GetString()!, labels, predictions, c.GetProperty("step").GetInt64(), c.GetProperty("thresholds").GetInt32());
            }
        }

        var golden = Golden("pr_curves");
        var ours = Ours(dir.Path);
        Assert.That(ours.Keys, Is.EquivalentTo(golden.Keys));
        foreach (((string tag, long step), Summary.Types.Value theirs) in golden)
        {
            AssertSameTensor(ours[(tag, step)], theirs, $"PR curve '{tag}' at step {step}");
        }
    }

    [Test]
    public void Text_is_the_markdown_tensorboard_writes()
    {
        using var dir = new TempDirectory();
        using (SummaryWriter writer = SummaryWriter.Create(dir.Path))
        {
            foreach (JsonElement t in Data().GetProperty("text").EnumerateArray())
            {
                writer.Text(t.GetProperty("tag").GetString()!, t.GetProperty("markdown").GetString()!, t.GetProperty("step").GetInt64());
            }
        }

        var golden = Golden("text");
        var ours = Ours(dir.Path);
        Assert.That(ours.Keys, Is.EquivalentTo(golden.Keys));
        foreach (((string tag, long step), Summary.Types.Value theirs) in golden)
        {
            AssertSameTensor(ours[(tag, step)], theirs, $"text '{tag}' at step {step}");
        }
    }

    [Test]
    public void Bad_input_is_refused_naming_the_argument_and_nothing_is_written()
    {
        using var dir = new TempDirectory();
        using (SummaryWriter writer = SummaryWriter.Create(dir.Path))
        {
            Assert.That(() => writer.Histogram("w", [1.0, double.NaN], 0), Throws.ArgumentException.With.Message.Contains("holds NaN at index 1").And.Property("ParamName").EqualTo("values"));
            Assert.That(() => writer.Histogram("w", [1.0], 0, buckets: 0), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("buckets"));
            Assert.That(() => writer.PrCurve("pr", [true, false], [0.5], 0), Throws.ArgumentException.With.Message.Contains("2 labels and 1 predictions").And.Property("ParamName").EqualTo("predictions"));
            Assert.That(() => writer.PrCurve("pr", [true, false], [0.5, 1.5], 0), Throws.ArgumentException.With.Message.Contains("Prediction 1 is 1.5").And.Property("ParamName").EqualTo("predictions"));
            Assert.That(() => writer.PrCurve("pr", [true], [0.5], 0, thresholds: 1), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Property("ParamName").EqualTo("thresholds"));
            writer.Scalar("loss", 1, 0);
            Assert.That(() => writer.Histogram("loss", [1.0], 1), Throws.ArgumentException.With.Message.Contains("Tag 'loss'").And.Message.Contains("already holds scalars"));
            writer.Histogram("w", [1.0, 2.0], 5);
            Assert.That(() => writer.Histogram("w", [1.0], 5), Throws.ArgumentException.With.Message.Contains("step 5 is not after the previous step 5"));
            Assert.That(() => writer.Scalar("w", 1, 9), Throws.ArgumentException.With.Message.Contains("already holds histograms"));
        }

        var written = Ours(dir.Path);
        Assert.That(written.Keys, Is.EquivalentTo(new[] { ("loss", 0L), ("w", 5L) }), "only what was accepted");
    }
}
