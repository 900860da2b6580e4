using Microsoft.ML;
using Microsoft.ML.Data;

namespace HParamsNet.MLNet;

/// <summary>
/// A table of numeric features and a label, held in memory: what the tuner's splitters index
/// into (a fold is a list of row numbers) and what becomes an ML.NET <see cref="IDataView"/> with
/// a <c>Features</c> vector column and a <c>Label</c> column (bool for binary classification,
/// float otherwise).
/// </summary>
public sealed class TabularData
{
    private readonly float[][] _features;
    private readonly float[] _labels;

    /// <summary>Creates a table.</summary>
    /// <param name="task">What the label is.</param>
    /// <param name="features">One row of features per example, all of one length.</param>
    /// <param name="labels">One label per row: 0/1, a class index 0..k-1, or a value.</param>
    /// <exception cref="ArgumentException">No rows, rows of different lengths, a label count that differs, or a class label that is not a whole number from 0.</exception>
    public TabularData(MLTask task, IReadOnlyList<float[]> features, IReadOnlyList<float> labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Count == 0 || features.Count != labels.Count)
        {
            throw new ArgumentException($"{features.Count} feature rows and {labels.Count} labels: give one label per row, and at least one row.", nameof(labels));
        }

        int width = features[0].Length;
        if (features.FirstOrDefault(f => f.Length != width) is { } odd)
        {
            throw new ArgumentException($"Rows have {width} features and {odd.Length}; every row needs the same features.", nameof(features));
        }

        bool NotAClass(float l) => l < 0 || l != MathF.Floor(l) || (task == MLTask.BinaryClassification && l > 1);
        if (task != MLTask.Regression && labels.Any(NotAClass))
        {
            float bad = labels.First(NotAClass);
            throw new ArgumentException($"Label {bad} is not a class of a {task} task; classes are 0{(task == MLTask.BinaryClassification ? " and 1" : ", 1, 2, ...")}.", nameof(labels));
        }

        Task = task;
        _features = [.. features];
        _labels = [.. labels];
    }

    /// <summary>What the label is.</summary>
    public MLTask Task { get; }

    /// <summary>Rows.</summary>
    public int Rows => _labels.Length;

    /// <summary>Features per row.</summary>
    public int FeatureCount => _features[0].Length;

    /// <summary>Each row's label.</summary>
    internal IReadOnlyList<float> Labels => _labels;

    /// <summary>Classes (the largest class label + 1); 1 for regression, whose prediction is one number.</summary>
    internal int ClassCount => Task == MLTask.MulticlassClassification ? (int)_labels.Max() + 1 : 1;

    /// <summary>The class of each row, for stratified folds; <see langword="null"/> for regression.</summary>
    public IReadOnlyList<int>? Classes => Task == MLTask.Regression ? null : [.. _labels.Select(l => (int)l)];

    /// <summary>The rows <paramref name="rows"/> as a new table.</summary>
    /// <param name="rows">Row numbers.</param>
    public TabularData Subset(IEnumerable<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        int[] picked = [.. rows];
        return new TabularData(Task, [.. picked.Select(r => _features[r])], [.. picked.Select(r => _labels[r])]);
    }

    /// <summary>A seeded split into training and held-out rows, stratified by class for classification.</summary>
    /// <param name="testFraction">The share held out, between 0 and 1.</param>
    /// <param name="seed">The shuffle's seed.</param>
    public (TabularData Train, TabularData Test) Split(double testFraction, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(testFraction, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(testFraction, 1);
        var random = new Random(seed);
        var test = new List<int>();
        IEnumerable<IGrouping<int, int>> strata = Task == MLTask.Regression
            ? Enumerable.Range(0, Rows).GroupBy(_ => 0)
            : Enumerable.Range(0, Rows).GroupBy(r => (int)_labels[r]);
        foreach (IGrouping<int, int> stratum in strata.OrderBy(g => g.Key))
        {
            int[] rows = [.. stratum];
            random.Shuffle(rows);
            test.AddRange(rows.Take((int)Math.Round(rows.Length * testFraction)));
        }

        var held = test.ToHashSet();
        return (Subset(Enumerable.Range(0, Rows).Where(r => !held.Contains(r))), Subset(test.Order()));
    }

    /// <summary>The table as an ML.NET data view: <c>Features</c> (a float vector) and <c>Label</c>.</summary>
    /// <param name="ml">The ML.NET context.</param>
    public IDataView ToDataView(MLContext ml)
    {
        ArgumentNullException.ThrowIfNull(ml);
        if (Task == MLTask.BinaryClassification)
        {
            SchemaDefinition schema = SchemaDefinition.Create(typeof(BinaryRow));
            schema[nameof(BinaryRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, FeatureCount);
            return ml.Data.LoadFromEnumerable(Enumerable.Range(0, Rows).Select(r => new BinaryRow { Features = _features[r], Label = _labels[r] > 0.5f }), schema);
        }

        SchemaDefinition valueSchema = SchemaDefinition.Create(typeof(ValueRow));
        valueSchema[nameof(ValueRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, FeatureCount);
        return ml.Data.LoadFromEnumerable(Enumerable.Range(0, Rows).Select(r => new ValueRow { Features = _features[r], Label = _labels[r] }), valueSchema);
    }

    /// <summary>Reads a CSV of numbers whose last column is the label (an optional header line is skipped).</summary>
    /// <param name="task">What the label is.</param>
    /// <param name="reader">The text.</param>
    /// <exception cref="FormatException">A cell is not a number; the message names its line and column.</exception>
    public static TabularData ReadCsv(MLTask task, TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var features = new List<float[]>();
        var labels = new List<float>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0)
            {
                continue;
            }

            string[] cells = line.Split(',');
            var numbers = new float[cells.Length];
            int bad = -1;
            for (int c = 0; c < cells.Length && bad < 0; c++)
            {
                bad = float.TryParse(cells[c], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out numbers[c]) ? -1 : c;
            }

            if (bad >= 0)
            {
                if (lineNumber == 1)
                {
                    continue; // a header line
                }

                throw new FormatException($"Line {lineNumber}, column {bad + 1}: '{cells[bad]}' is not a number.");
            }

            features.Add(numbers[..^1]);
            labels.Add(numbers[^1]);
        }

        return new TabularData(task, features, labels);
    }

    private sealed class BinaryRow
    {
        public float[] Features { get; set; } = [];

        public bool Label { get; set; }
    }

    private sealed class ValueRow
    {
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
