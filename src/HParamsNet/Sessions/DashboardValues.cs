using HParamsNet.Summaries;

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

/// <summary>An embedding the run's <c>projector_config.pbtxt</c> lists for TensorBoard's projector.</summary>
/// <param name="TensorName">Its name in the projector (PyTorch's and ours: <c>tag:step</c>).</param>
/// <param name="TensorPath">The vectors (TSV, one per line), or <see langword="null"/> when the entry names none (a checkpoint's tensor).</param>
/// <param name="MetadataPath">The labels (TSV: one column without a header, or a header and several), or <see langword="null"/>.</param>
/// <param name="SpriteImagePath">The thumbnails' sprite (PNG), or <see langword="null"/>.</param>
/// <param name="SpriteImageDim">One thumbnail's width and height in the sprite; empty without one.</param>
public sealed record EmbeddingInfo(string TensorName, string? TensorPath, string? MetadataPath, string? SpriteImagePath, IReadOnlyList<int> SpriteImageDim)
{
    /// <summary>The vectors of <see cref="TensorPath"/>, one per line.</summary>
    /// <exception cref="InvalidOperationException">The entry names no tensor file.</exception>
    /// <exception cref="FormatException">A value is not a number; the message names the file and line.</exception>
    public IReadOnlyList<float[]> ReadVectors()
    {
        string path = TensorPath ?? throw new InvalidOperationException($"Embedding '{TensorName}' names no tensor file (a checkpoint's tensor); read it from the checkpoint.");
        var vectors = new List<float[]>();
        int line = 0;
        foreach (string row in File.ReadLines(path))
        {
            line++;
            if (row.Length == 0)
            {
                continue;
            }

            string[] cells = row.Split('\t');
            var vector = new float[cells.Length];
            for (int i = 0; i < cells.Length; i++)
            {
                if (!float.TryParse(cells[i], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out vector[i]))
                {
                    throw new FormatException($"'{path}' line {line}: '{cells[i]}' is not a number; an embedding's tensor file holds tab-separated numbers.");
                }
            }

            vectors.Add(vector);
        }

        return vectors;
    }
}

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

    /// <summary>The run's Custom Scalars layout (the last one written, the one TensorBoard shows), or <see langword="null"/>.</summary>
    public CustomScalarLayout? CustomScalars { get; init; }

    /// <summary>The embeddings the run's <c>projector_config.pbtxt</c> lists, in its order; paths resolved against the run's directory.</summary>
    public IReadOnlyList<EmbeddingInfo> Embeddings { get; init; } = [];
}
