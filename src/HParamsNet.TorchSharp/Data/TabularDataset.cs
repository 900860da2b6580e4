using TorchSharp;
using static TorchSharp.torch;

namespace HParamsNet.TorchSharp.Data;

/// <summary>
/// A table of float features with one target per row: class labels for classification, or
/// real values for regression. Immutable; splits and transforms return new data sets.
/// </summary>
public sealed class TabularDataset
{
    private readonly float[] _features;
    private readonly float[] _targets;

    /// <summary>Creates a data set from row-major features and one target per row.</summary>
    /// <param name="features">Row-major features: <c>rows * columns</c> values.</param>
    /// <param name="columns">Features per row.</param>
    /// <param name="targets">One target per row: a class index (0, 1, ...) or a real value.</param>
    /// <param name="classNames">Class names for classification; empty for regression.</param>
    /// <exception cref="ArgumentException">Sizes that do not fit, a non-finite feature, or a class index outside <paramref name="classNames"/>.</exception>
    public TabularDataset(float[] features, int columns, float[] targets, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(columns);
        if (features.Length != targets.Length * (long)columns)
        {
            throw new ArgumentException($"{features.Length} feature values do not make {targets.Length} rows of {columns} columns.", nameof(features));
        }

        int bad = Array.FindIndex(features, f => !float.IsFinite(f));
        if (bad >= 0)
        {
            throw new ArgumentException($"Feature {bad % columns} of row {bad / columns} is {features[bad]}; every feature must be a finite number.", nameof(features));
        }

        ClassNames = classNames ?? [];
        if (ClassNames.Count > 0)
        {
            int row = Array.FindIndex(targets, t => t < 0 || t >= ClassNames.Count || t != MathF.Floor(t));
            if (row >= 0)
            {
                throw new ArgumentException($"Row {row} has label {targets[row]}, not a class index from 0 to {ClassNames.Count - 1}.", nameof(targets));
            }
        }

        _features = features;
        _targets = targets;
        Columns = columns;
    }

    /// <summary>Rows (samples).</summary>
    public int Count => _targets.Length;

    /// <summary>Features per row.</summary>
    public int Columns { get; }

    /// <summary>Class names; empty for a regression data set.</summary>
    public IReadOnlyList<string> ClassNames { get; }

    /// <summary>Whether the targets are class indices.</summary>
    public bool IsClassification => ClassNames.Count > 0;

    /// <summary>Row-major features.</summary>
    public ReadOnlySpan<float> Features => _features;

    /// <summary>The targets, one per row.</summary>
    public ReadOnlySpan<float> Targets => _targets;

    /// <summary>The class index of each row.</summary>
    /// <exception cref="InvalidOperationException">A regression data set.</exception>
    public int[] Labels => IsClassification
        ? Array.ConvertAll(_targets, t => (int)t)
        : throw new InvalidOperationException("A regression data set has no class labels.");

    /// <summary>The rows at <paramref name="indices"/>, in that order.</summary>
    public TabularDataset Select(IReadOnlyList<int> indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        var features = new float[indices.Count * Columns];
        var targets = new float[indices.Count];
        for (int i = 0; i < indices.Count; i++)
        {
            int row = indices[i];
            Array.Copy(_features, row * Columns, features, i * Columns, Columns);
            targets[i] = _targets[row];
        }

        return new TabularDataset(features, Columns, targets, ClassNames);
    }

    /// <summary>
    /// Splits into train and test sets, each class in the same proportion in both (stratified, as
    /// scikit-learn's <c>train_test_split(stratify=y)</c>), shuffled with <paramref name="seed"/>.
    /// A regression data set is split at random.
    /// </summary>
    /// <param name="testFraction">The share of rows for the test set, between 0 and 1.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    public (TabularDataset Train, TabularDataset Test) StratifiedSplit(double testFraction, int seed)
    {
        if (!(testFraction > 0 && testFraction < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, "The test fraction must be between 0 and 1 (exclusive).");
        }

        var random = new Random(seed);
        var train = new List<int>();
        var test = new List<int>();
        IEnumerable<IGrouping<float, int>> strata = IsClassification
            ? Enumerable.Range(0, Count).GroupBy(i => _targets[i]).OrderBy(g => g.Key)
            : Enumerable.Range(0, Count).GroupBy(_ => 0f);
        foreach (IGrouping<float, int> stratum in strata)
        {
            int[] rows = stratum.ToArray();
            random.Shuffle(rows);
            int testCount = (int)Math.Round(rows.Length * testFraction);
            test.AddRange(rows.Take(testCount));
            train.AddRange(rows.Skip(testCount));
        }

        int[] trainRows = train.ToArray();
        int[] testRows = test.ToArray();
        random.Shuffle(trainRows);
        random.Shuffle(testRows);
        return (Select(trainRows), Select(testRows));
    }

    /// <summary>The features as a float32 tensor of shape [rows, columns].</summary>
    public Tensor FeaturesTensor() => tensor(_features, [Count, Columns], ScalarType.Float32);

    /// <summary>
    /// The targets as a tensor: int64 class indices of shape [rows] for multi-class
    /// classification, float32 of shape [rows, 1] otherwise (binary labels, regression values).
    /// </summary>
    /// <param name="asClassIndices">Whether to give int64 class indices.</param>
    public Tensor TargetsTensor(bool asClassIndices) => asClassIndices
        ? tensor(Array.ConvertAll(_targets, t => (long)t), [Count], ScalarType.Int64)
        : tensor(_targets, [Count, 1], ScalarType.Float32);
}
