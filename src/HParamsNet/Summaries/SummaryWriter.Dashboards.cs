using HParamsNet.Protos;

namespace HParamsNet.Summaries;

/// <summary>The dashboards besides scalars and hparams: histograms (and distributions), text, PR curves, images and audio.</summary>
public sealed partial class SummaryWriter
{
    /// <summary>
    /// Writes a histogram of <paramref name="values"/> at <paramref name="step"/> for the Histograms
    /// and Distributions dashboards, as <c>tf.summary.histogram</c> does (<paramref name="buckets"/>
    /// equal-width buckets from the minimum to the maximum).
    /// </summary>
    /// <param name="tag">The series name.</param>
    /// <param name="values">The data (weights, gradients, activations); every value finite.</param>
    /// <param name="step">The step; strictly greater than this tag's previous step.</param>
    /// <param name="buckets">How many buckets; at least 1.</param>
    /// <exception cref="ArgumentException">A NaN or infinite value (nothing is written), a reserved or reused tag, or a step not after the previous one.</exception>
    public void Histogram(string tag, ReadOnlySpan<double> values, long step, int buckets = HistogramSummaries.DefaultBuckets) =>
        Write(tag, step, HistogramSummaries.PluginName, HistogramSummaries.Histogram(tag, values, buckets));

    /// <summary>Writes a histogram of float values (see <see cref="Histogram(string, ReadOnlySpan{double}, long, int)"/>).</summary>
    /// <param name="tag">The series name.</param>
    /// <param name="values">The data; every value finite.</param>
    /// <param name="step">The step; strictly greater than this tag's previous step.</param>
    /// <param name="buckets">How many buckets; at least 1.</param>
    public void Histogram(string tag, ReadOnlySpan<float> values, long step, int buckets = HistogramSummaries.DefaultBuckets)
    {
        var widened = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            widened[i] = values[i];
        }

        Histogram(tag, widened, step, buckets);
    }

    /// <summary>Writes Markdown for the Text dashboard (tables, lists, code; raw HTML is shown escaped).</summary>
    /// <param name="tag">The series name.</param>
    /// <param name="markdown">The text.</param>
    /// <param name="step">The step; strictly greater than this tag's previous step.</param>
    /// <exception cref="ArgumentException">A reserved or reused tag, or a step not after the previous one.</exception>
    public void Text(string tag, string markdown, long step) =>
        Write(tag, step, TextSummaries.PluginName, TextSummaries.Text(tag, markdown));

    /// <summary>
    /// Writes a precision-recall curve of binary <paramref name="labels"/> against predicted
    /// probabilities for the PR Curves dashboard, with the counts TensorBoard's own summary computes.
    /// </summary>
    /// <param name="tag">The series name.</param>
    /// <param name="labels">Whether each example is positive.</param>
    /// <param name="predictions">Each example's predicted probability of being positive, in [0, 1].</param>
    /// <param name="step">The step; strictly greater than this tag's previous step.</param>
    /// <param name="thresholds">Thresholds evenly spread over [0, 1]; at least 2.</param>
    /// <exception cref="ArgumentException">Different lengths, a prediction outside [0, 1] (nothing is written), a reserved or reused tag, or a step not after the previous one.</exception>
    public void PrCurve(string tag, ReadOnlySpan<bool> labels, ReadOnlySpan<double> predictions, long step, int thresholds = PrCurveSummaries.DefaultThresholds) =>
        Write(tag, step, PrCurveSummaries.PluginName, PrCurveSummaries.PrCurve(tag, labels, predictions, thresholds));

    /// <summary>Writes a precision-recall curve of float32 predictions (see <see cref="PrCurve(string, ReadOnlySpan{bool}, ReadOnlySpan{double}, long, int)"/>).</summary>
    /// <param name="tag">The series name.</param>
    /// <param name="labels">Whether each example is positive.</param>
    /// <param name="predictions">Each example's predicted probability of being positive, in [0, 1].</param>
    /// <param name="step">The step; strictly greater than this tag's previous step.</param>
    /// <param name="thresholds">Thresholds evenly spread over [0, 1]; at least 2.</param>
    public void PrCurve(string tag, ReadOnlySpan<bool> labels, ReadOnlySpan<float> predictions, long step, int thresholds = PrCurveSummaries.DefaultThresholds) =>
        Write(tag, step, PrCurveSummaries.PluginName, PrCurveSummaries.PrCurve(tag, labels, predictions, thresholds));

    /// <summary>Writes an image for the Images dashboard: 8-bit pixels, height x width x channels (HWC), PNG-encoded.</summary>
    /// <param name="tag">The series name.</param>
    /// <param name="pixels">The pixels, row by row; height x width x channels bytes.</param>
    /// <param name="height">Rows.</param>
    /// <param name="width">Columns.</param>
    /// <param name="channels">1 (grey), 3 (RGB) or 4 (RGBA).</param>
    /// <param name="step">The step; strictly greater than this tag's previous step.</param>
    /// <exception cref="ArgumentException">A wrong pixel count or channel count (nothing is written), a reserved or reused tag, or a step not after the previous one.</exception>
    public void Image(string tag, byte[] pixels, int height, int width, int channels, long step) =>
        Images(tag, [pixels], height, width, channels, step);

    /// <summary>Writes an image from float pixels in [0, 1] (times 255, truncated, as PyTorch).</summary>
    /// <param name="tag">The series name.</param>
    /// <param name="pixels">The pixels, row by row, each in [0, 1].</param>
    /// <param name="height">Rows.</param>
    /// <param name="width">Columns.</param>
    /// <param name="channels">1 (grey), 3 (RGB) or 4 (RGBA).</param>
    /// <param name="step">The step; strictly greater than this tag's previous step.</param>
    public void Image(string tag, ReadOnlySpan<float> pixels, int height, int width, int channels, long step) =>
        Image(tag, MediaSummaries.ToBytes(pixels), height, width, channels, step);

    /// <summary>Writes several images of one size at one step (TensorBoard shows them side by side), keeping the first <paramref name="maxOutputs"/>.</summary>
    /// <param name="tag">The series name.</param>
    /// <param name="images">Each image's pixels, height x width x channels bytes.</param>
    /// <param name="height">Rows.</param>
    /// <param name="width">Columns.</param>
    /// <param name="channels">1 (grey), 3 (RGB) or 4 (RGBA).</param>
    /// <param name="step">The step; strictly greater than this tag's previous step.</param>
    /// <param name="maxOutputs">Images kept at most.</param>
    public void Images(string tag, IReadOnlyList<byte[]> images, int height, int width, int channels, long step, int maxOutputs = MediaSummaries.DefaultMaxOutputs) =>
        Write(tag, step, MediaSummaries.ImagesPluginName, MediaSummaries.Image(tag, images, height, width, channels, maxOutputs));

    /// <summary>Writes an audio clip for the Audio dashboard: float samples in [-1, 1], interleaved by channel, as 16-bit PCM WAV.</summary>
    /// <param name="tag">The series name.</param>
    /// <param name="samples">The samples, frame by frame.</param>
    /// <param name="sampleRate">Samples per second per channel; above 0.</param>
    /// <param name="step">The step; strictly greater than this tag's previous step.</param>
    /// <param name="channels">Channels; 1 by default.</param>
    /// <exception cref="ArgumentException">A sample outside [-1, 1], a sample rate below 1, samples not whole frames (nothing is written), a reserved or reused tag, or a step not after the previous one.</exception>
    public void Audio(string tag, ReadOnlySpan<float> samples, int sampleRate, long step, int channels = 1) =>
        Write(tag, step, MediaSummaries.AudioPluginName, MediaSummaries.Audio(tag, samples, sampleRate, channels));

    /// <summary>Writes the Custom Scalars dashboard's layout (once per run; TensorBoard merges the runs' layouts).</summary>
    /// <param name="layout">The categories and charts.</param>
    /// <exception cref="ArgumentException">An empty layout, category or chart.</exception>
    /// <exception cref="InvalidOperationException">This writer already wrote a layout.</exception>
    public void CustomScalars(CustomScalarLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        Summary summary = layout.ToSummary();
        using (_lock.Enter())
        {
            if (_tags.ContainsKey(CustomScalarLayout.Tag))
            {
                throw new InvalidOperationException($"Run '{LogDir}' has a custom scalars layout already; write one layout with every category.");
            }
        }

        Write(CustomScalarLayout.Tag, 0, CustomScalarLayout.PluginName, summary);
    }

    /// <summary>
    /// Writes an embedding for the Projector: vectors (one per point), optional labels and thumbnails,
    /// as files in this run (<c>STEP/TAG/</c>) listed in its <c>projector_config.pbtxt</c>.
    /// </summary>
    /// <param name="tag">The embedding's name; one directory level (no '/').</param>
    /// <param name="vectors">One vector per point, all of one length, finite.</param>
    /// <param name="step">Which step the embedding is of (part of its name and directory).</param>
    /// <param name="labels">One label per point; none when <see langword="null"/>.</param>
    /// <param name="sprite">One thumbnail per point; none when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">No vectors, vectors of different lengths or with NaN, or labels or images not one per point (nothing is written).</exception>
    /// <exception cref="IOException">The embedding was written at that step already (nothing is overwritten).</exception>
    public void Embedding(string tag, IReadOnlyList<float[]> vectors, long step, IReadOnlyList<string>? labels = null, Sprite? sprite = null) =>
        ProjectorFiles.Write(LogDir, tag, step, vectors, header: null, labels?.Select(l => (IReadOnlyList<string>)[l]).ToList(), sprite);

    /// <summary>Writes an embedding whose points have several metadata columns (a header row names them).</summary>
    /// <param name="tag">The embedding's name; one directory level (no '/').</param>
    /// <param name="vectors">One vector per point, all of one length, finite.</param>
    /// <param name="step">Which step the embedding is of.</param>
    /// <param name="header">The columns' names.</param>
    /// <param name="metadata">One row per point, a value per column.</param>
    /// <param name="sprite">One thumbnail per point; none when <see langword="null"/>.</param>
    public void Embedding(string tag, IReadOnlyList<float[]> vectors, long step, IReadOnlyList<string> header, IReadOnlyList<IReadOnlyList<string>> metadata, Sprite? sprite = null)
    {
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(metadata);
        if (metadata.Any(row => row is null || row.Count != header.Count))
        {
            throw new ArgumentException($"Every metadata row needs {header.Count} values, one per header column.", nameof(metadata));
        }

        ProjectorFiles.Write(LogDir, tag, step, vectors, header, metadata, sprite);
    }

    /// <summary>
    /// Writes how a classifier did on labelled examples: a PR curve per class (<c>pr_curve/CLASS</c>;
    /// the positive class only when each example has one probability), and the confusion matrix
    /// as a picture (<c>confusion_matrix</c>) and a Markdown table (<c>confusion_matrix_table</c>).
    /// </summary>
    /// <param name="classNames">A name per class, in class order; at least 2.</param>
    /// <param name="truth">Each example's true class.</param>
    /// <param name="probabilities">Each example's probabilities: one per class, or the positive class's alone for a binary classifier.</param>
    /// <param name="step">The step.</param>
    /// <exception cref="ArgumentException">Fewer than 2 classes, different lengths, a class outside the names, or a probability outside [0, 1].</exception>
    public void Classification(IReadOnlyList<string> classNames, IReadOnlyList<int> truth, IReadOnlyList<float[]> probabilities, long step)
    {
        ArgumentNullException.ThrowIfNull(classNames);
        ArgumentNullException.ThrowIfNull(truth);
        ArgumentNullException.ThrowIfNull(probabilities);
        if (classNames.Count < 2 || probabilities.Count != truth.Count || probabilities.Count == 0)
        {
            throw new ArgumentException($"A classifier's results need at least 2 class names and a probability row per example: got {classNames.Count} names, {truth.Count} examples and {probabilities.Count} rows.", nameof(probabilities));
        }

        bool binary = probabilities[0].Length == 1;
        int[] predicted = [.. probabilities.Select(p => binary ? (p[0] > 0.5f ? 1 : 0) : Array.IndexOf(p, p.Max()))];
        var matrix = new ConfusionMatrix(classNames.Count, [.. truth], predicted); // checks the classes before anything is written
        for (int c = binary ? 1 : 0; c < classNames.Count; c++)
        {
            int cls = c;
            PrCurve($"pr_curve/{classNames[cls]}", [.. truth.Select(t => t == cls)], [.. probabilities.Select(p => binary ? p[0] : p[cls])], step);
        }

        (byte[] pixels, int side) = matrix.Render();
        Image("confusion_matrix", pixels, side, side, 3, step);
        Text("confusion_matrix_table", matrix.ToMarkdown(classNames), step);
    }

    // One rule for every dashboard's tag: not reserved, one plugin per tag (TensorBoard keeps a
    // tag's first metadata, so a second kind under it would be read as the first), steps forward.
    private void Write(string tag, long step, string plugin, Summary summary)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        if (tag.StartsWith(HParamsSummaries.ReservedTagPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Tag '{tag}' starts with '{HParamsSummaries.ReservedTagPrefix}', which TensorBoard reserves for the HParams plugin; choose another tag.", nameof(tag));
        }

        using (_lock.Enter())
        {
            _tags.TryGetValue(tag, out TagState? state);
            if (state is not null && state.Plugin != plugin)
            {
                throw new ArgumentException($"Tag '{tag}' in run '{LogDir}' already holds {state.Plugin}; TensorBoard shows a tag in one dashboard only. Give the {plugin} another tag.", nameof(tag));
            }

            if (state is not null && step <= state.LastStep)
            {
                throw new ArgumentException($"Tag '{tag}' in run '{LogDir}': step {step} is not after the previous step {state.LastStep}; log each step once, in increasing order.", nameof(step));
            }

            _events.WriteSummary(summary, step);
            if (state is null)
            {
                _tags.Add(tag, new TagState(plugin, scalars: null) { LastStep = step });
            }
            else
            {
                state.LastStep = step;
            }
        }
    }
}
