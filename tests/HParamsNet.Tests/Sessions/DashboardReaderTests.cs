using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Sessions;
using HParamsNet.Summaries;
using HParamsNet.Tests.Common;

namespace HParamsNet.Tests.Sessions;

/// <summary>The dashboards read back as typed values: from TensorBoard's and PyTorch's files, and from ours.</summary>
public class DashboardReaderTests
{
    private static string Asset(params string[] parts) => Path.Combine([TestContext.CurrentContext.TestDirectory, "Assets", .. parts]);

    [Test]
    public void Tensorboards_histograms_pr_curves_and_text_read_as_their_values()
    {
        RunDashboards histograms = DashboardReader.Read(Asset("dashboards", "logdir", "histograms"));
        RunDashboards curves = DashboardReader.Read(Asset("dashboards", "logdir", "pr_curves"));
        RunDashboards text = DashboardReader.Read(Asset("dashboards", "logdir", "text"));

        Assert.That(histograms.Histograms.Keys, Is.EquivalentTo(new[] { "normal", "constant", "empty", "five_buckets", "ties" }));
        Assert.That(histograms.Histograms["normal"].Select(h => h.Step), Is.EqualTo(new long[] { 0, 1, 2 }));
        Assert.That(histograms.Histograms["normal"][0].Buckets.Sum(b => b.Count), Is.EqualTo(200));
        Assert.That(histograms.Histograms["constant"][0].Buckets[^1], Is.EqualTo((3.5, 3.5, 7.0)));
        // [1, 2, 2, 3, 3, 3, 4, 4, 4, 4, 5] in 4 buckets of width 1 from 1: the maximum joins the last.
        Assert.That(histograms.Histograms["ties"][0].Buckets.Select(b => b.Count), Is.EqualTo(new double[] { 1, 2, 3, 5 }));
        Assert.That(curves.PrCurves["classifier/pr_curves"].Select(c => c.Precision.Count), Is.EqualTo(new[] { 201, 201 }));
        Assert.That(curves.PrCurves["coarse/pr_curves"][0].TruePositives[0] + curves.PrCurves["coarse/pr_curves"][0].FalsePositives[0], Is.EqualTo(300), "every example counts at the lowest threshold");
        Assert.That(text.Texts["notes"][0].Markdown, Does.StartWith("# Run notes"));
        Assert.That(DashboardReader.TagCounts(histograms)["histograms"], Is.EqualTo(5));
    }

    [Test]
    public void Pytorchs_images_and_audio_read_as_the_same_clips_and_pictures_as_ours()
    {
        RunDashboards theirs = DashboardReader.Read(Asset("media", "logdir", "media"));
        using var dir = new TempDirectory();
        using (SummaryWriter writer = SummaryWriter.Create(dir.Path))
        {
            writer.Audio("tone", theirsSamples(), 8000, 0);
        }

        RunDashboards ours = DashboardReader.Read(dir.Path);
        Assert.That(theirs.Images.Keys, Is.EquivalentTo(new[] { "rgb", "grey", "rgba", "batch" }));
        Assert.That(theirs.Images["rgb"][0], Has.Property("Width").EqualTo(7).And.Property("Height").EqualTo(5));
        Assert.That(theirs.Audio["tone"].Select(a => a.Step), Is.EqualTo(new long[] { 0, 1 }));
        Assert.That(ours.Audio["tone"][0].Encoded[0], Is.EqualTo(theirs.Audio["tone"][0].Encoded[0]), "the same WAV bytes, read from PyTorch's Summary.Audio and from our blob sequence");

        static float[] theirsSamples()
        {
            using var data = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Asset("media", "data.json")));
            return [.. data.RootElement.GetProperty("audio")[0].GetProperty("samples").EnumerateArray().Select(v => (float)v.GetDouble())];
        }
    }

    [Test]
    public void An_old_style_histogram_reads_as_tensorboard_migrates_it()
    {
        using var dir = new TempDirectory();
        var histo = new HistogramProto { Min = -1.5, Max = 2.5, Num = 6, BucketLimit = { -2, -1, 0, 1, 2, double.MaxValue }, Bucket = { 0, 1, 2, 0, 3, 0 } };
        using (EventFileWriter events = EventFileWriter.Create(dir.Path, EventFileWriterOptions.Default))
        {
            events.WriteSummary(new Summary { Value = { new Summary.Types.Value { Tag = "w", Histo = histo } } }, step: 4);
        }

        HistogramValue read = DashboardReader.Read(dir.Path).Histograms["w"].Single();

        // Empty buckets at both ends dropped; the first left edge the minimum, the last right edge the maximum.
        Assert.That(read.Buckets, Is.EqualTo(new[] { (-1.5, -1.0, 1.0), (-1.0, 0.0, 2.0), (0.0, 1.0, 0.0), (1.0, 2.5, 3.0) }));
        Assert.That(read.Step, Is.EqualTo(4));
    }
}
