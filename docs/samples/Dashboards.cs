#region usings
using HParamsNet.Sessions;   // DashboardReader
using HParamsNet.Summaries;  // SummaryWriter, CustomScalarLayout, Sprite
#endregion

namespace HParamsNet.DocSamples;

/// <summary>The logging guide: the dashboards besides scalars and hparams.</summary>
public static class Dashboards
{
    public static void WriteEveryKind(string runDir = "logs/fit/train")
    {
        double[] weights = Enumerable.Range(0, 1000).Select(i => Math.Sin(i) * 0.1).ToArray();
        byte[] pixels = Enumerable.Range(0, 28 * 28).Select(i => (byte)(i % 256)).ToArray();
        float[] samples = Enumerable.Range(0, 16000).Select(i => (float)Math.Sin(i * 2 * Math.PI * 440 / 16000)).ToArray();
        bool[] labels = [true, false, true, true, false];
        double[] probabilities = [0.9, 0.2, 0.7, 0.4, 0.1];
        float[][] vectors = [[0.1f, 0.2f], [0.3f, 0.1f], [0.9f, 0.8f]];
        const long step = 1;

        #region dashboards
        using var writer = SummaryWriter.Create(runDir);
        writer.Histogram("dense/kernel", weights, step);                       // Histograms and Distributions: 30 buckets, as tf.summary.histogram
        writer.Image("samples", pixels, height: 28, width: 28, channels: 1, step); // Images: 8-bit HWC pixels (or floats in [0, 1]), as PNG
        writer.Audio("tone", samples, sampleRate: 16000, step);                 // Audio: floats in [-1, 1], as 16-bit PCM WAV
        writer.Text("notes", "| lr | units |\n|---|---|\n| 0.01 | 64 |", step); // Text: Markdown, tables included
        writer.PrCurve("pr/positive", labels, probabilities, step);            // PR Curves: 201 thresholds, as TensorBoard's pr_curve
        writer.CustomScalars(new CustomScalarLayout(
        [
            new CustomScalarCategory("Training", [new MultilineChart("loss", ["loss/train", "loss/validation"])]),
        ]));                                                                    // Custom Scalars: charts of several tags
        writer.Embedding("points", vectors, step, labels: ["a", "b", "c"]);    // Projector: vectors, labels, an optional sprite
        #endregion
    }

    public static void ReadBack(string runDir = "logs/fit/train")
    {
        #region read
        RunDashboards run = DashboardReader.Read(runDir);
        foreach ((string tag, var histograms) in run.Histograms)
        {
            Console.WriteLine($"{tag}: {histograms.Count} histograms");
        }

        foreach (EmbeddingInfo embedding in run.Embeddings)
        {
            Console.WriteLine($"{embedding.TensorName}: {embedding.ReadVectors().Count} vectors");
        }

        Console.WriteLine($"Custom scalars: {run.CustomScalars?.Categories.Count ?? 0} categories");
        #endregion
    }
}
