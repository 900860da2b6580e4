using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;
using HParamsNet.Trials;
using HParamsNet.Tuning;

namespace HParamsNet.Examples.Distributed;

/// <summary>What a worker optimises: the space, the objective and one trial's work.</summary>
internal abstract class StudyObjective
{
    public abstract IReadOnlyList<HParam> Space { get; }

    public abstract Objective Objective { get; }

    public abstract Task<double> RunAsync(Trial trial, CancellationToken cancellationToken);

    public static StudyObjective Create(StudySettings settings) =>
        settings.Objective == "digits" ? new DigitsObjective() : new BraninObjective(settings.TrialMs, settings.Steps);
}

/// <summary>
/// The Branin function (minimum 0.397887 at three points), a standard synthetic benchmark: no
/// training, so a study of it measures the storage, the strategy and the TensorBoard files, plus
/// the sleep that stands for training time. With steps, a trial reports a curve that falls to its
/// value (what a pruner judges); with folds, fold k adds 0.01 k.
/// </summary>
internal sealed class BraninObjective(int trialMs, int steps) : StudyObjective
{
    private static readonly HParam X1 = new("x1", new RealInterval(-5, 10));
    private static readonly HParam X2 = new("x2", new RealInterval(0, 15));
    private static readonly Metric Value = new("branin", displayName: "Branin value");

    public override IReadOnlyList<HParam> Space => [X1, X2];

    public override Objective Objective => new(Value, StudyDirection.Minimize);

    public override async Task<double> RunAsync(Trial trial, CancellationToken cancellationToken)
    {
        double x1 = trial.Get<double>(X1), x2 = trial.Get<double>(X2);
        const double A = 1, B = 5.1 / (4 * Math.PI * Math.PI), C = 5 / Math.PI, R = 6, S = 10, T = 1 / (8 * Math.PI);
        double value = A * Math.Pow(x2 - (B * x1 * x1) + (C * x1) - R, 2) + (S * (1 - T) * Math.Cos(x1)) + S + (0.01 * (trial.Fold?.Index ?? 0));
        for (int step = 1; step <= steps; step++)
        {
            if (trialMs > 0)
            {
                await Task.Delay(trialMs / steps, cancellationToken);
            }

            trial.Report(value * (1 + ((steps - step) / (double)steps)), step);
            if (trial.ShouldPrune)
            {
                throw new TrialPrunedException($"pruned at step {step}");
            }
        }

        if (steps == 0 && trialMs > 0)
        {
            await Task.Delay(trialMs, cancellationToken);
        }

        return value;
    }
}

/// <summary>The TorchSharp MLP on the digits data (8x8 images, 10 classes): validation accuracy after a few epochs.</summary>
internal sealed class DigitsObjective : StudyObjective
{
    private const int Epochs = 8;
    private static readonly HParam LearningRate = new("learning_rate", new RealInterval(1e-4, 1e-1) { Log = true });
    private static readonly HParam Units = new("num_units", new Discrete(16, 32, 64, 128));
    private static readonly HParam Dropout = new("dropout", new RealInterval(0.0, 0.5));
    private static readonly Metric Accuracy = new("accuracy", displayName: "Validation accuracy", datasetType: DatasetType.Validation);
    // Loaded by the first trial: the launcher only needs the space and the objective.
    private readonly Lazy<(TabularDataset Train, TabularDataset Validation)> _data = new(() =>
    {
        (TabularDataset train, TabularDataset validation) = Datasets.LoadDigits().StratifiedSplit(testFraction: 0.25, seed: 0);
        var scaler = Standardizer.Fit(train);
        return (scaler.Transform(train), scaler.Transform(validation));
    });

    public override IReadOnlyList<HParam> Space => [LearningRate, Units, Dropout];

    public override Objective Objective => new(Accuracy, StudyDirection.Maximize);

    public override Task<double> RunAsync(Trial trial, CancellationToken cancellationToken)
    {
        ModelSpec spec = ModelSpec.Sequential()
            .Dense(trial.Get<int>(Units), Activation.Relu)
            .Dropout(trial.Get<double>(Dropout))
            .Output(ModelTask.MultiClass(10))
            .Compile("adam", trial.Get<double>(LearningRate));
        (TabularDataset train, TabularDataset validation) = _data.Value;
        using TorchModel model = TorchModel.Build(spec, train.Columns, seed: trial.Number);
        TrainingHistory history = model.Fit(train, new FitOptions { Epochs = Epochs, Seed = trial.Number, Callbacks = [new PruningCallback(trial)] }, validation, cancellationToken);
        return Task.FromResult(history.Last.ValidationMetric!.Value);
    }
}
