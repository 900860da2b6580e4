using HParamsNet.Trials;
using HParamsNet.Tuning;

namespace HParamsNet.TorchSharp.Training;

/// <summary>
/// Reports the validation metric (or the training one, without validation data) to the tuner's
/// trial after each epoch, and stops training with <see cref="TrialPrunedException"/> when the
/// trial's pruner says so (Optuna's pruning callbacks for Keras and PyTorch Lightning).
/// </summary>
public sealed class PruningCallback : IFitCallback
{
    private readonly Trial _trial;
    private readonly bool _useLoss;

    /// <summary>Creates the callback.</summary>
    /// <param name="trial">The running trial; its objective metric receives the reports.</param>
    /// <param name="useLoss">Report the loss instead of the task's metric (for an objective that minimises loss).</param>
    public PruningCallback(Trial trial, bool useLoss = false)
    {
        ArgumentNullException.ThrowIfNull(trial);
        _trial = trial;
        _useLoss = useLoss;
    }

    /// <inheritdoc/>
    public void OnTrainBegin()
    {
    }

    /// <inheritdoc/>
    public void OnEpochEnd(EpochResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        double value = _useLoss ? result.ValidationLoss ?? result.Loss : result.ValidationMetric ?? result.Metric;
        _trial.Report(value, result.Epoch + 1);
        if (_trial.ShouldPrune)
        {
            throw new TrialPrunedException($"Trial {_trial.Number} pruned after epoch {result.Epoch + 1} (value {value}).");
        }
    }

    /// <inheritdoc/>
    public void OnTrainEnd(SessionStatus status)
    {
    }
}
