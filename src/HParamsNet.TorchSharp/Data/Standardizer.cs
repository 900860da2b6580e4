namespace HParamsNet.TorchSharp.Data;

/// <summary>
/// Scales each feature to zero mean and unit variance, with the means and deviations of the data
/// it was fitted on (scikit-learn's StandardScaler). Fit on training data only, then transform
/// both training and test data, so that nothing of the test set leaks into training.
/// </summary>
public sealed class Standardizer
{
    private readonly float[] _means;
    private readonly float[] _scales;

    private Standardizer(float[] means, float[] scales)
    {
        _means = means;
        _scales = scales;
    }

    /// <summary>Per-feature means of the fitted data.</summary>
    public IReadOnlyList<float> Means => _means;

    /// <summary>Per-feature standard deviations (population); 1 for a constant feature.</summary>
    public IReadOnlyList<float> Scales => _scales;

    /// <summary>Learns each feature's mean and standard deviation.</summary>
    /// <param name="data">The training data.</param>
    public static Standardizer Fit(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        int columns = data.Columns;
        var sums = new double[columns];
        var squares = new double[columns];
        ReadOnlySpan<float> features = data.Features;
        for (int i = 0; i < features.Length; i++)
        {
            sums[i % columns] += features[i];
        }

        var means = new double[columns];
        for (int c = 0; c < columns; c++)
        {
            means[c] = sums[c] / data.Count;
        }

        for (int i = 0; i < features.Length; i++)
        {
            double d = features[i] - means[i % columns];
            squares[i % columns] += d * d;
        }

        // A constant feature keeps scale 1, as StandardScaler does, instead of dividing by zero.
        var scales = squares.Select(s => Math.Sqrt(s / data.Count) is var sd && sd > 0 ? (float)sd : 1f).ToArray();
        return new Standardizer(Array.ConvertAll(means, m => (float)m), scales);
    }

    /// <summary>The data with each feature standardised.</summary>
    /// <exception cref="ArgumentException">The data has a different number of features.</exception>
    public TabularDataset Transform(TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Columns != _means.Length)
        {
            throw new ArgumentException($"The standardizer was fitted on {_means.Length} features; this data has {data.Columns}.", nameof(data));
        }

        var features = data.Features.ToArray();
        for (int i = 0; i < features.Length; i++)
        {
            int c = i % _means.Length;
            features[i] = (features[i] - _means[c]) / _scales[c];
        }

        return new TabularDataset(features, data.Columns, data.Targets.ToArray(), data.ClassNames);
    }
}
