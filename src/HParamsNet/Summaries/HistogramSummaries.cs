using System.Buffers.Binary;
using Google.Protobuf;
using HParamsNet.Protos;

namespace HParamsNet.Summaries;

/// <summary>
/// Histogram summaries, shown in TensorBoard's Histograms and Distributions dashboards: the tensor
/// layout of <c>tf.summary.histogram</c> (TensorBoard's <c>histogram_pb</c>), a float64 tensor of
/// k rows (left edge, right edge, count).
/// </summary>
public static class HistogramSummaries
{
    /// <summary>The histogram plugin's name in summary metadata.</summary>
    public const string PluginName = "histograms";

    /// <summary>TensorBoard's default number of buckets.</summary>
    public const int DefaultBuckets = 30;

    /// <summary>
    /// The buckets of <paramref name="values"/> as TensorBoard's own summary code computes them, bit
    /// for bit (hand-written for that reason): <paramref name="buckets"/> equal-width buckets from
    /// the minimum to the maximum, a value in bucket floor((x - min) / width) (the last bucket also
    /// takes the maximum), edges min + i * width and the last right edge exactly the maximum; no
    /// data: rows of zeros; all values equal: every edge that value, every count 0 but the last,
    /// which holds them all.
    /// </summary>
    /// <param name="values">The data; every value finite.</param>
    /// <param name="buckets">How many buckets; at least 1.</param>
    /// <returns>Rows (left, right, count), row-major: 3 values per bucket.</returns>
    /// <exception cref="ArgumentException">A value is NaN or infinite (the message gives its index).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="buckets"/> is below 1.</exception>
    public static double[] Buckets(ReadOnlySpan<double> values, int buckets = DefaultBuckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        var rows = new double[buckets * 3];
        if (values.IsEmpty)
        {
            return rows;
        }

        double min = double.PositiveInfinity;
        double max = double.NegativeInfinity;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!double.IsFinite(v))
            {
                throw new ArgumentException($"Histogram data holds {v} at index {i}; TensorBoard's buckets need finite values. Leave it out, or log how many there were as a scalar.", nameof(values));
            }

            min = Math.Min(min, v);
            max = Math.Max(max, v);
        }

        double range = max - min;
        if (range == 0)
        {
            for (int b = 0; b < buckets; b++)
            {
                rows[3 * b] = rows[(3 * b) + 1] = min;
            }

            rows[(3 * buckets) - 1] = values.Length;
            return rows;
        }

        // numpy: width = range / k; index = floor((x - min) / width), capped at k - 1; edges from
        // np.linspace(min, max, k + 1): i * (range / k) + min, the last set to max exactly.
        double width = range / buckets;
        for (int i = 0; i < values.Length; i++)
        {
            int bucket = (int)Math.Min(Math.Floor((values[i] - min) / width), buckets - 1);
            rows[(3 * bucket) + 2]++;
        }

        for (int b = 0; b < buckets; b++)
        {
            rows[3 * b] = (b * width) + min;
            rows[(3 * b) + 1] = b + 1 == buckets ? max : ((b + 1) * width) + min;
        }

        return rows;
    }

    /// <summary>A histogram summary of <paramref name="values"/> (see <see cref="Buckets"/>).</summary>
    /// <param name="tag">The tag.</param>
    /// <param name="values">The data; every value finite.</param>
    /// <param name="buckets">How many buckets; at least 1.</param>
    /// <param name="description">Markdown shown in TensorBoard; none when empty.</param>
    public static Summary Histogram(string tag, ReadOnlySpan<double> values, int buckets = DefaultBuckets, string description = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        double[] rows = Buckets(values, buckets);
        var content = new byte[rows.Length * sizeof(double)];
        for (int i = 0; i < rows.Length; i++)
        {
            BinaryPrimitives.WriteDoubleLittleEndian(content.AsSpan(i * sizeof(double)), rows[i]);
        }

        var value = new Summary.Types.Value
        {
            Tag = tag,
            Metadata = new SummaryMetadata
            {
                SummaryDescription = description ?? string.Empty,
                PluginData = new SummaryMetadata.Types.PluginData { PluginName = PluginName, Content = new HistogramPluginData().ToByteString() },
                DataClass = DataClass.Tensor,
            },
            Tensor = new TensorProto
            {
                Dtype = DataType.DtDouble,
                TensorShape = new TensorShapeProto { Dim = { new TensorShapeProto.Types.Dim { Size = buckets }, new TensorShapeProto.Types.Dim { Size = 3 } } },
                TensorContent = UnsafeByteOperations.UnsafeWrap(content), // a fresh array, never changed: no copy
            },
        };
        return new Summary { Value = { value } };
    }
}
