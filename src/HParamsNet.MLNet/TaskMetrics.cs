using Microsoft.ML;

namespace HParamsNet.MLNet;

/// <summary>
/// Each task's metrics as TensorBoard metrics, measured with ML.NET's evaluators: the objective
/// first (log-loss for classification, RMSE for regression: continuous, so a better model shows
/// even when accuracy ties on a small test set), then the usual others.
/// </summary>
public static class TaskMetrics
{
    /// <summary>The metrics of <paramref name="task"/>: its objective first.</summary>
    /// <param name="task">What is learnt.</param>
    public static IReadOnlyList<Metric> For(MLTask task) => task switch
    {
        MLTask.BinaryClassification => [new("log_loss", displayName: "Log-loss"), new("auc", displayName: "AUC"), new("accuracy", displayName: "Accuracy"), new("f1", displayName: "F1")],
        MLTask.MulticlassClassification => [new("log_loss", displayName: "Log-loss"), new("accuracy", displayName: "Accuracy (micro)"), new("macro_accuracy", displayName: "Accuracy (macro)")],
        _ => [new("rmse", displayName: "RMSE"), new("mae", displayName: "MAE"), new("r2", displayName: "R²")],
    };

    /// <summary>The objective: the first metric, minimised.</summary>
    /// <param name="task">What is learnt.</param>
    public static Objective Objective(MLTask task) => new(For(task)[0], StudyDirection.Minimize);

    /// <summary>Scores a fitted model on <paramref name="data"/>: every metric of the task, by tag.</summary>
    /// <param name="ml">The ML.NET context.</param>
    /// <param name="task">What is learnt.</param>
    /// <param name="model">A model fitted by a pipeline of <see cref="TrainerSpaces"/> (or one with the same columns).</param>
    /// <param name="data">Held-out rows.</param>
    public static IReadOnlyDictionary<string, double> Evaluate(MLContext ml, MLTask task, ITransformer model, IDataView data)
    {
        ArgumentNullException.ThrowIfNull(ml);
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        return EvaluateScored(ml, task, model.Transform(data));
    }

    /// <summary>The task's metrics of rows a model has already scored.</summary>
    internal static IReadOnlyDictionary<string, double> EvaluateScored(MLContext ml, MLTask task, IDataView scored)
    {
        switch (task)
        {
            case MLTask.BinaryClassification:
                var binary = ml.BinaryClassification.Evaluate(scored);
                return new Dictionary<string, double> { ["log_loss"] = binary.LogLoss, ["auc"] = binary.AreaUnderRocCurve, ["accuracy"] = binary.Accuracy, ["f1"] = binary.F1Score };
            case MLTask.MulticlassClassification:
                var multi = ml.MulticlassClassification.Evaluate(scored);
                return new Dictionary<string, double> { ["log_loss"] = multi.LogLoss, ["accuracy"] = multi.MicroAccuracy, ["macro_accuracy"] = multi.MacroAccuracy };
            default:
                var regression = ml.Regression.Evaluate(scored);
                return new Dictionary<string, double> { ["rmse"] = regression.RootMeanSquaredError, ["mae"] = regression.MeanAbsoluteError, ["r2"] = regression.RSquared };
        }
    }
}
