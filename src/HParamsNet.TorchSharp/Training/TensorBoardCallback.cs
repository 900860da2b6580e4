using HParamsNet.Events;
using HParamsNet.Summaries;

namespace HParamsNet.TorchSharp.Training;

/// <summary>
/// Per-epoch curves as Keras' TensorBoard callback lays them out: <c>epoch_loss</c> and
/// <c>epoch_{metric}</c> at step = epoch, in the sub-runs <c>train/</c> and <c>validation/</c> of
/// the trial's run directory.
/// </summary>
public sealed class TensorBoardCallback : IFitCallback, IDisposable
{
    private readonly string _logDir;
    private readonly string _metricName;
    private readonly EventFileWriterOptions? _options;
    private SummaryWriter? _train;
    private SummaryWriter? _validation;

    /// <summary>Creates the callback.</summary>
    /// <param name="logDir">The trial's run directory.</param>
    /// <param name="metricName">The metric's name in tags: accuracy or mae.</param>
    /// <param name="options">Writer options, or <see langword="null"/> for the defaults.</param>
    public TensorBoardCallback(string logDir, string metricName = "accuracy", EventFileWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDir);
        ArgumentException.ThrowIfNullOrEmpty(metricName);
        _logDir = logDir;
        _metricName = metricName;
        _options = options;
    }

    /// <summary>The train sub-run's name, as Keras names it.</summary>
    public const string TrainGroup = "train";

    /// <summary>The validation sub-run's name, as Keras names it.</summary>
    public const string ValidationGroup = "validation";

    /// <inheritdoc/>
    public void OnTrainBegin() => _train = SummaryWriter.Create(Path.Combine(_logDir, TrainGroup), _options);

    /// <inheritdoc/>
    public void OnEpochEnd(EpochResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        SummaryWriter train = _train ?? throw new InvalidOperationException("OnTrainBegin was not called.");
        train.Scalar("epoch_loss", result.Loss, result.Epoch);
        train.Scalar($"epoch_{_metricName}", result.Metric, result.Epoch);
        if (result.ValidationLoss is double loss && result.ValidationMetric is double metric)
        {
            _validation ??= SummaryWriter.Create(Path.Combine(_logDir, ValidationGroup), _options);
            _validation.Scalar("epoch_loss", loss, result.Epoch);
            _validation.Scalar($"epoch_{_metricName}", metric, result.Epoch);
        }
    }

    /// <inheritdoc/>
    public void OnTrainEnd(SessionStatus status) => Dispose();

    /// <summary>Flushes and closes the sub-runs' files.</summary>
    public void Dispose()
    {
        _train?.Dispose();
        _validation?.Dispose();
        _train = null;
        _validation = null;
    }
}
