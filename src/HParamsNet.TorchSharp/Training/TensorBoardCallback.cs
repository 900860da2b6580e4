using HParamsNet.Events;
using HParamsNet.Summaries;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;

namespace HParamsNet.TorchSharp.Training;

/// <summary>
/// Per-epoch curves as Keras' TensorBoard callback lays them out: <c>epoch_loss</c> and
/// <c>epoch_{metric}</c> at step = epoch, in the sub-runs <c>train/</c> and <c>validation/</c> of
/// the trial's run directory; with <see cref="HistogramFrequency"/>, each parameter's weights and
/// gradients as histograms (Keras' <c>histogram_freq</c>); with <see cref="ClassificationData"/>,
/// a PR curve per class and the confusion matrix (a picture and a table) of a classifier on that data.
/// </summary>
public sealed class TensorBoardCallback : IModelFitCallback, IDisposable
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

    /// <summary>Every how many epochs the weights and gradients are written as histograms (<c>weights/NAME</c>, <c>gradients/NAME</c> in <c>train/</c>); 0: never.</summary>
    public int HistogramFrequency { get; init; }

    /// <summary>
    /// Labelled data a classifier is judged on, in <c>validation/</c>: a PR curve per class
    /// (<c>pr_curve/CLASS</c>), the confusion matrix as an image and as a Markdown table
    /// (<c>confusion_matrix</c>), every <see cref="ClassificationFrequency"/> epochs and after the last.
    /// </summary>
    public TabularDataset? ClassificationData { get; init; }

    /// <summary>Every how many epochs <see cref="ClassificationData"/> is judged (the last epoch always).</summary>
    public int ClassificationFrequency { get; init; } = 1;

    /// <summary>How many epochs training runs, so that the last one is judged; set by <see cref="TorchModel.Fit"/> callers through <see cref="FitOptions.Epochs"/>.</summary>
    public int? Epochs { get; init; }

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
    public void OnEpochEnd(EpochResult result, TorchModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        OnEpochEnd(result);
        if (HistogramFrequency > 0 && (result.Epoch + 1) % HistogramFrequency == 0)
        {
            foreach ((string name, float[] values, float[]? gradients) in model.Parameters())
            {
                _train!.Histogram($"weights/{name}", values, result.Epoch);
                if (gradients is not null)
                {
                    _train.Histogram($"gradients/{name}", gradients, result.Epoch);
                }
            }
        }

        bool last = Epochs is int epochs && result.Epoch == epochs - 1;
        if (ClassificationData is { } data && model.Task.IsClassification && ((result.Epoch + 1) % Math.Max(1, ClassificationFrequency) == 0 || last))
        {
            _validation ??= SummaryWriter.Create(Path.Combine(_logDir, ValidationGroup), _options);
            _validation.Classification(data.ClassNames, data.Labels, model.PredictProbabilities(data), result.Epoch);
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
