using HParamsNet.Summaries;
using Microsoft.ML;

namespace HParamsNet.MLNet;

/// <summary>
/// Writes how a classifier does on labelled rows, for TensorBoard: a PR curve per class
/// (<c>pr_curve/CLASS</c>; the positive class only for a binary model) and the confusion matrix as a
/// picture and a Markdown table (<c>confusion_matrix</c>, <c>confusion_matrix_table</c>).
/// </summary>
public static class ModelEvaluationWriter
{
    /// <summary>Scores <paramref name="model"/> on <paramref name="data"/> and writes its PR curves and confusion matrix into the run <paramref name="runDirectory"/>.</summary>
    /// <param name="model">A fitted classification pipeline (e.g. <see cref="MLNetTuningResult.Model"/>).</param>
    /// <param name="data">Labelled rows the model did not train on (a held-out split).</param>
    /// <param name="runDirectory">The run to write (TensorBoard shows it beside the trials).</param>
    /// <param name="step">The step the values are written at.</param>
    /// <param name="seed">ML.NET's seed.</param>
    /// <exception cref="InvalidOperationException">The data is a regression task: there are no classes to judge.</exception>
    public static void Write(ITransformer model, TabularData data, string runDirectory, long step = 0, int seed = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentException.ThrowIfNullOrEmpty(runDirectory);
        if (data.Classes is not { } truth)
        {
            throw new InvalidOperationException("A regression model has no classes: there is no PR curve or confusion matrix to write; log its errors as scalars or a histogram.");
        }

        int classes = Math.Max(2, truth.Max() + 1);
        var ml = new MLContext(seed);
        float[][] scores = OutOfFoldPredictions.Read(data.Task, model.Transform(data.ToDataView(ml)), classes);
        using SummaryWriter writer = SummaryWriter.Create(runDirectory);
        writer.Classification([.. Enumerable.Range(0, classes).Select(c => $"class_{c}")], truth, scores, step);
    }
}
