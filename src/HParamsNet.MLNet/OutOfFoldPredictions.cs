using System.Collections.Concurrent;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace HParamsNet.MLNet;

/// <summary>
/// Every trial's predictions for the rows its folds held out, collected while the study runs: what
/// ensemble selection weighs models on without fitting anything again. A prediction is one number
/// (binary: the probability of class 1; regression: the value) or, for multiclass, one probability
/// per class in class order.
/// </summary>
internal sealed class OutOfFoldPredictions(TabularData train)
{
    private readonly ConcurrentDictionary<int, float[]?[]> _byTrial = new();

    public TabularData Train { get; } = train;

    /// <summary>Predictions per row (class order for multiclass) read from a model's output on held-out rows.</summary>
    public static float[][] Read(MLTask task, IDataView scored, int classes)
    {
        switch (task)
        {
            case MLTask.BinaryClassification:
                return [.. scored.GetColumn<float>("Probability").Select(p => new[] { p })];
            case MLTask.Regression:
                return [.. scored.GetColumn<float>("Score").Select(y => new[] { y })];
            default:
                int[] slotClasses = ClassSlots.Of(scored.Schema);
                return [.. scored.GetColumn<VBuffer<float>>("Score").Select(score =>
                {
                    var byClass = new float[classes];
                    ClassSlots.AddInClassOrder(score.DenseValues().ToArray(), slotClasses, 1, byClass);
                    return byClass;
                })];
        }
    }

    public void Record(int trial, IReadOnlyList<int> rows, float[][] predictions)
    {
        float[]?[] all = _byTrial.GetOrAdd(trial, _ => new float[]?[Train.Rows]);
        for (int i = 0; i < rows.Count; i++)
        {
            all[rows[i]] = predictions[i];
        }
    }

    /// <summary>The trial's prediction for every training row, or <see langword="null"/> when a fold is missing (a trial resumed from an earlier run).</summary>
    public float[][]? Complete(int trial) =>
        _byTrial.TryGetValue(trial, out float[]?[]? all) && all.All(p => p is not null) ? [.. all.Select(p => p!)] : null;
}
