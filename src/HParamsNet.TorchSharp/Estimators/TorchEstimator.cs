using System.Globalization;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;
using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;

namespace HParamsNet.TorchSharp.Estimators;

/// <summary>
/// A model-building function plus fit options, fitted and scored on data: the role of Keras'
/// scikit-learn wrappers (KerasClassifier / KerasRegressor), so that a tuner or a
/// cross-validation can try one configuration after another.
/// </summary>
/// <remarks>
/// Hparams named <c>epochs</c> and <c>batch_size</c> set the fit's epochs and batch size, as
/// they do for the Keras wrappers; every hparam is passed to the building function.
/// </remarks>
public sealed class TorchEstimator
{
    /// <summary>The hparam name that sets <see cref="FitOptions.Epochs"/>.</summary>
    public const string EpochsHParam = "epochs";

    /// <summary>The hparam name that sets <see cref="FitOptions.BatchSize"/>.</summary>
    public const string BatchSizeHParam = "batch_size";

    private readonly Func<IReadOnlyDictionary<string, object>, ModelSpec> _buildModel;

    /// <summary>Creates an estimator.</summary>
    /// <param name="buildModel">Builds the model of one configuration from its hparams (by name).</param>
    /// <param name="fitOptions">Epochs, batch size, seed, threads; callbacks are added per fit.</param>
    public TorchEstimator(Func<IReadOnlyDictionary<string, object>, ModelSpec> buildModel, FitOptions? fitOptions = null)
    {
        ArgumentNullException.ThrowIfNull(buildModel);
        _buildModel = buildModel;
        FitOptions = fitOptions ?? new FitOptions();
        FitOptions.Validate();
    }

    /// <summary>The fit options every configuration starts from.</summary>
    public FitOptions FitOptions { get; }

    /// <summary>Builds and trains the model of one configuration. The caller disposes it.</summary>
    /// <param name="train">Training data.</param>
    /// <param name="hparams">The configuration, by hparam name.</param>
    /// <param name="callbacks">Callbacks for this fit (e.g. TensorBoard curves and the hparams record).</param>
    /// <param name="validation">Validation data, evaluated after each epoch.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    public TorchModel Fit(
        TabularDataset train,
        IReadOnlyDictionary<string, object> hparams,
        IReadOnlyList<IFitCallback>? callbacks = null,
        TabularDataset? validation = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(hparams);
        FitOptions options = OptionsFor(hparams, callbacks ?? []);
        TorchModel model = TorchModel.Build(_buildModel(hparams), train.Columns, options.Seed);
        try
        {
            model.Fit(train, options, validation, cancellationToken);
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The model's score on <paramref name="data"/>, higher is better: accuracy for
    /// classification, the negative mean absolute error for regression (scikit-learn's
    /// <c>neg_mean_absolute_error</c>).
    /// </summary>
    public static double Score(TorchModel model, TabularDataset data)
    {
        ArgumentNullException.ThrowIfNull(model);
        Evaluation evaluation = model.Evaluate(data);
        return model.Task.IsClassification ? evaluation.Metric : -evaluation.Metric;
    }

    /// <summary>Fits on <paramref name="train"/>, scores on <paramref name="test"/>, and releases the model.</summary>
    public double FitAndScore(TabularDataset train, TabularDataset test, IReadOnlyDictionary<string, object> hparams, IReadOnlyList<IFitCallback>? callbacks = null, CancellationToken cancellationToken = default)
    {
        using TorchModel model = Fit(train, hparams, callbacks, cancellationToken: cancellationToken);
        return Score(model, test);
    }

    /// <summary>
    /// One fold of a cross-validation: fits on the fold's training rows and scores on its test
    /// rows, standardising features with the training rows' statistics only (so nothing of the
    /// test rows leaks into training).
    /// </summary>
    /// <param name="data">All rows.</param>
    /// <param name="fold">Which rows train and which test (a trial's <see cref="Trial.Fold"/>).</param>
    /// <param name="hparams">The configuration, by hparam name.</param>
    /// <param name="callbacks">Callbacks for this fit.</param>
    /// <param name="standardize">Whether to standardise features per fold.</param>
    /// <param name="cancellationToken">Stops training between batches.</param>
    public double FitAndScoreFold(
        TabularDataset data,
        CrossValidationFold fold,
        IReadOnlyDictionary<string, object> hparams,
        IReadOnlyList<IFitCallback>? callbacks = null,
        bool standardize = true,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(fold);
        TabularDataset train = data.Select(fold.TrainIndices);
        TabularDataset test = data.Select(fold.TestIndices);
        if (standardize)
        {
            var scaler = Standardizer.Fit(train);
            train = scaler.Transform(train);
            test = scaler.Transform(test);
        }

        return FitAndScore(train, test, hparams, callbacks, cancellationToken);
    }

    private FitOptions OptionsFor(IReadOnlyDictionary<string, object> hparams, IReadOnlyList<IFitCallback> callbacks) => FitOptions with
    {
        Epochs = hparams.TryGetValue(EpochsHParam, out object? epochs) ? ToInt(EpochsHParam, epochs) : FitOptions.Epochs,
        BatchSize = hparams.TryGetValue(BatchSizeHParam, out object? batch) ? ToInt(BatchSizeHParam, batch) : FitOptions.BatchSize,
        Callbacks = [.. FitOptions.Callbacks, .. callbacks],
    };

    private static int ToInt(string name, object value)
    {
        double number = Convert.ToDouble(value, CultureInfo.InvariantCulture);
        return number >= 1 && number <= int.MaxValue && number == Math.Floor(number)
            ? (int)number
            : throw new ArgumentException($"Hparam '{name}' = {value} must be a positive whole number.", nameof(value));
    }
}
