using System.Buffers.Binary;
using Google.Protobuf;
using HParamsNet.Protos;

namespace HParamsNet.Summaries;

/// <summary>
/// Precision-recall curve summaries, shown in TensorBoard's PR Curves dashboard: the counts and
/// rates TensorBoard's own <c>pr_curve</c> summary computes, as a float32 tensor of 6 rows (true
/// positives, false positives, true negatives, false negatives, precision, recall) by thresholds.
/// </summary>
public static class PrCurveSummaries
{
    /// <summary>The PR curve plugin's name in summary metadata.</summary>
    public const string PluginName = "pr_curves";

    /// <summary>TensorBoard's default number of thresholds.</summary>
    public const int DefaultThresholds = 201;

    // TensorBoard's floor for a denominator, so that an empty threshold has precision and recall 0.
    private const double MinimumCount = 1e-7;

    /// <summary>A PR curve of binary <paramref name="labels"/> against <paramref name="predictions"/> in [0, 1] (float32, as TensorBoard's summary takes them).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="labels">Whether each example is positive.</param>
    /// <param name="predictions">Each example's predicted probability of being positive, in [0, 1].</param>
    /// <param name="thresholds">Thresholds evenly spread over [0, 1]; at least 2.</param>
    /// <param name="description">Markdown shown in TensorBoard; none when empty.</param>
    /// <exception cref="ArgumentException">Labels and predictions of different lengths, or a prediction outside [0, 1] (its index named).</exception>
    public static Summary PrCurve(string tag, ReadOnlySpan<bool> labels, ReadOnlySpan<float> predictions, int thresholds = DefaultThresholds, string description = "")
    {
        Check(labels.Length, predictions.Length, thresholds);
        var positives = new double[thresholds];
        var negatives = new double[thresholds];
        for (int i = 0; i < predictions.Length; i++)
        {
            float p = predictions[i];
            CheckPrediction(p, i, nameof(predictions));

            // float32 arithmetic, as numpy multiplies a float32 array by an int.
            int bucket = (int)MathF.Floor(p * (float)(thresholds - 1));
            (labels[i] ? positives : negatives)[bucket]++;
        }

        return FromBuckets(tag, positives, negatives, description);
    }

    /// <summary>A PR curve of binary <paramref name="labels"/> against <paramref name="predictions"/> in [0, 1] (float64).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="labels">Whether each example is positive.</param>
    /// <param name="predictions">Each example's predicted probability of being positive, in [0, 1].</param>
    /// <param name="thresholds">Thresholds evenly spread over [0, 1]; at least 2.</param>
    /// <param name="description">Markdown shown in TensorBoard; none when empty.</param>
    /// <exception cref="ArgumentException">Labels and predictions of different lengths, or a prediction outside [0, 1] (its index named).</exception>
    public static Summary PrCurve(string tag, ReadOnlySpan<bool> labels, ReadOnlySpan<double> predictions, int thresholds = DefaultThresholds, string description = "")
    {
        Check(labels.Length, predictions.Length, thresholds);
        var positives = new double[thresholds];
        var negatives = new double[thresholds];
        for (int i = 0; i < predictions.Length; i++)
        {
            double p = predictions[i];
            CheckPrediction(p, i, nameof(predictions));
            int bucket = (int)Math.Floor(p * (thresholds - 1));
            (labels[i] ? positives : negatives)[bucket]++;
        }

        return FromBuckets(tag, positives, negatives, description);
    }

    /// <summary>A PR curve from counts already made per threshold (e.g. accumulated over batches).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="truePositives">Per threshold.</param>
    /// <param name="falsePositives">Per threshold.</param>
    /// <param name="trueNegatives">Per threshold.</param>
    /// <param name="falseNegatives">Per threshold.</param>
    /// <param name="description">Markdown shown in TensorBoard; none when empty.</param>
    /// <exception cref="ArgumentException">The four lists differ in length, have fewer than 2 thresholds, or hold a negative or non-finite count.</exception>
    public static Summary PrCurveFromCounts(string tag, IReadOnlyList<double> truePositives, IReadOnlyList<double> falsePositives, IReadOnlyList<double> trueNegatives, IReadOnlyList<double> falseNegatives, string description = "")
    {
        ArgumentNullException.ThrowIfNull(truePositives);
        ArgumentNullException.ThrowIfNull(falsePositives);
        ArgumentNullException.ThrowIfNull(trueNegatives);
        ArgumentNullException.ThrowIfNull(falseNegatives);
        int n = truePositives.Count;
        if (n < 2 || falsePositives.Count != n || trueNegatives.Count != n || falseNegatives.Count != n)
        {
            throw new ArgumentException($"A PR curve needs the four counts for the same thresholds, at least 2: got {truePositives.Count}, {falsePositives.Count}, {trueNegatives.Count} and {falseNegatives.Count}.", nameof(truePositives));
        }

        foreach ((IReadOnlyList<double> counts, string name) in new[] { (truePositives, nameof(truePositives)), (falsePositives, nameof(falsePositives)), (trueNegatives, nameof(trueNegatives)), (falseNegatives, nameof(falseNegatives)) })
        {
            for (int t = 0; t < n; t++)
            {
                if (!double.IsFinite(counts[t]) || counts[t] < 0)
                {
                    throw new ArgumentException($"{name} holds {counts[t]} at threshold {t}; counts are finite and not negative.", name);
                }
            }
        }

        var rows = new double[6, n];
        for (int t = 0; t < n; t++)
        {
            rows[0, t] = truePositives[t];
            rows[1, t] = falsePositives[t];
            rows[2, t] = trueNegatives[t];
            rows[3, t] = falseNegatives[t];
            rows[4, t] = truePositives[t] / Math.Max(MinimumCount, truePositives[t] + falsePositives[t]);
            rows[5, t] = truePositives[t] / Math.Max(MinimumCount, truePositives[t] + falseNegatives[t]);
        }

        return Build(tag, rows, description);
    }

    // From the examples per bucket, as TensorBoard: reverse cumulative sums (an example counts at every
    // threshold at or below its bucket), the negatives of each from the totals.
    private static Summary FromBuckets(string tag, double[] positives, double[] negatives, string description)
    {
        int n = positives.Length;
        var tp = new double[n];
        var fp = new double[n];
        double tpSum = 0;
        double fpSum = 0;
        for (int t = n - 1; t >= 0; t--)
        {
            tp[t] = tpSum += positives[t];
            fp[t] = fpSum += negatives[t];
        }

        return PrCurveFromCounts(tag, tp, fp, [.. fp.Select(f => fp[0] - f)], [.. tp.Select(p => tp[0] - p)], description);
    }

    private static Summary Build(string tag, double[,] rows, string description)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        int n = rows.GetLength(1);
        var content = new byte[6 * n * sizeof(float)];
        for (int r = 0; r < 6; r++)
        {
            for (int t = 0; t < n; t++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(content.AsSpan(((r * n) + t) * sizeof(float)), (float)rows[r, t]);
            }
        }

        var value = new Summary.Types.Value
        {
            Tag = tag,
            Metadata = new SummaryMetadata
            {
                DisplayName = tag,
                SummaryDescription = description ?? string.Empty,
                PluginData = new SummaryMetadata.Types.PluginData { PluginName = PluginName, Content = new PrCurvePluginData { NumThresholds = (uint)n }.ToByteString() },
                DataClass = DataClass.Tensor,
            },
            Tensor = new TensorProto
            {
                Dtype = DataType.DtFloat,
                TensorShape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dim { Size = 6 }, new TensorShapeProto.Types.Dim { Size = n } } },
                TensorContent = UnsafeByteOperations.UnsafeWrap(content), // a fresh array, never changed: no copy
            },
        };
        return new Summary { Value = { value } };
    }

    private static void Check(int labels, int predictions, int thresholds)
    {
        if (labels != predictions)
        {
            throw new ArgumentException($"A PR curve pairs each label with a prediction: got {labels} labels and {predictions} predictions.", nameof(predictions));
        }

        if (thresholds < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(thresholds), thresholds, "A PR curve needs at least 2 thresholds.");
        }
    }

    private static void CheckPrediction(double p, int index, string paramName)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentException($"Prediction {index} is {p}; a PR curve takes probabilities in [0, 1] (apply a sigmoid or softmax first).", paramName);
        }
    }
}
