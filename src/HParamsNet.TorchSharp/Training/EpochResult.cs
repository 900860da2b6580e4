namespace HParamsNet.TorchSharp.Training;

/// <summary>What one epoch of training measured.</summary>
/// <param name="Epoch">The epoch, from 0 (the step Keras logs it at).</param>
/// <param name="Loss">Mean training loss over the epoch's samples.</param>
/// <param name="Metric">The task's metric on the training batches (accuracy, or mean absolute error).</param>
/// <param name="ValidationLoss">Loss on the validation data, when there is any.</param>
/// <param name="ValidationMetric">The metric on the validation data, when there is any.</param>
/// <param name="Duration">Wall time of the epoch, validation included.</param>
public sealed record EpochResult(int Epoch, double Loss, double Metric, double? ValidationLoss, double? ValidationMetric, TimeSpan Duration);

/// <summary>The loss and metric of a model on a data set.</summary>
/// <param name="Loss">Mean loss.</param>
/// <param name="Metric">The task's metric: accuracy (classification) or mean absolute error (regression).</param>
/// <param name="MetricName">accuracy or mae.</param>
public sealed record Evaluation(double Loss, double Metric, string MetricName);

/// <summary>The epochs of a fit, in order (Keras' History).</summary>
/// <param name="Epochs">One result per completed epoch.</param>
public sealed record TrainingHistory(IReadOnlyList<EpochResult> Epochs)
{
    /// <summary>The last epoch's result.</summary>
    /// <exception cref="InvalidOperationException">No epoch completed.</exception>
    public EpochResult Last => Epochs.Count > 0 ? Epochs[^1] : throw new InvalidOperationException("No epoch completed.");
}
