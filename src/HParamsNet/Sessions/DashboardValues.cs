namespace HParamsNet.Sessions;

/// <summary>A histogram at one step: its buckets as TensorBoard shows them.</summary>
/// <param name="Step">The step.</param>
/// <param name="WallTime">When it was written.</param>
/// <param name="Buckets">(left edge, right edge, count) per bucket.</param>
public sealed record HistogramValue(long Step, DateTimeOffset WallTime, IReadOnlyList<(double Left, double Right, double Count)> Buckets);

/// <summary>Images of one step, encoded as written (PNG, usually).</summary>
/// <param name="Step">The step.</param>
/// <param name="WallTime">When they were written.</param>
/// <param name="Width">Their width.</param>
/// <param name="Height">Their height.</param>
/// <param name="Encoded">Each image's encoded bytes.</param>
public sealed record ImagesValue(long Step, DateTimeOffset WallTime, int Width, int Height, IReadOnlyList<byte[]> Encoded);

/// <summary>Audio clips of one step, encoded as written (WAV).</summary>
/// <param name="Step">The step.</param>
/// <param name="WallTime">When they were written.</param>
/// <param name="Encoded">Each clip's bytes.</param>
public sealed record AudioValue(long Step, DateTimeOffset WallTime, IReadOnlyList<byte[]> Encoded);

/// <summary>Text of one step (Markdown).</summary>
/// <param name="Step">The step.</param>
/// <param name="WallTime">When it was written.</param>
/// <param name="Markdown">The text.</param>
public sealed record TextValue(long Step, DateTimeOffset WallTime, string Markdown);

/// <summary>A precision-recall curve of one step: per threshold, the counts and rates.</summary>
/// <param name="Step">The step.</param>
/// <param name="WallTime">When it was written.</param>
/// <param name="TruePositives">Per threshold.</param>
/// <param name="FalsePositives">Per threshold.</param>
/// <param name="TrueNegatives">Per threshold.</param>
/// <param name="FalseNegatives">Per threshold.</param>
/// <param name="Precision">Per threshold.</param>
/// <param name="Recall">Per threshold.</param>
public sealed record PrCurveValue(long Step, DateTimeOffset WallTime, IReadOnlyList<float> TruePositives, IReadOnlyList<float> FalsePositives, IReadOnlyList<float> TrueNegatives, IReadOnlyList<float> FalseNegatives, IReadOnlyList<float> Precision, IReadOnlyList<float> Recall);

/// <summary>
/// What a run holds for the dashboards besides scalars and hparams, by tag: histograms, images,
/// audio, text and PR curves, in step order, from the forms TensorFlow, PyTorch and HParamsNet
/// write (tensors, and the older histogram, image and audio messages).
/// </summary>
public sealed record RunDashboards
{
    /// <summary>Histograms by tag.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<HistogramValue>> Histograms { get; init; } = new Dictionary<string, IReadOnlyList<HistogramValue>>();

    /// <summary>Images by tag.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<ImagesValue>> Images { get; init; } = new Dictionary<string, IReadOnlyList<ImagesValue>>();

    /// <summary>Audio by tag.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<AudioValue>> Audio { get; init; } = new Dictionary<string, IReadOnlyList<AudioValue>>();

    /// <summary>Text by tag.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<TextValue>> Texts { get; init; } = new Dictionary<string, IReadOnlyList<TextValue>>();

    /// <summary>PR curves by tag.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<PrCurveValue>> PrCurves { get; init; } = new Dictionary<string, IReadOnlyList<PrCurveValue>>();
}
