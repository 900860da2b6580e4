// Keras-style fit with TensorBoard's Keras callbacks: one model, per-epoch curves in the trial's
// train/ and validation/ sub-runs (tf.keras.callbacks.TensorBoard), and the trial's hparams and
// status in its run (hp.KerasCallback). Binary classification on the breast-cancer data set.
// Every dashboard gets something: weight and gradient histograms (Histograms, Distributions),
// the test set's PR curve and confusion matrix (PR Curves, Images, Text), a grouped chart of the
// losses (Custom Scalars), the test rows in the Projector, and the validation accuracy as a tone (Audio).
using HParamsNet;
using HParamsNet.Examples;
using HParamsNet.Summaries;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;

string logDir = ExampleLogDirectory.Prepare(args, "keras_style_fit");

var units = new HParam("units", new Discrete(8, 16, 32));
var activation = new HParam("activation", new Discrete("relu", "tanh"));
var dropout = new HParam("dropout", new RealInterval(0.0, 0.5));
var learningRate = new HParam("learning_rate", new RealInterval(1e-4, 1e-1));
Metric[] metrics =
[
    new("epoch_accuracy", group: TensorBoardCallback.ValidationGroup, displayName: "Validation accuracy", datasetType: DatasetType.Validation),
    new("epoch_loss", group: TensorBoardCallback.ValidationGroup, displayName: "Validation loss", datasetType: DatasetType.Validation),
    new("epoch_accuracy", group: TensorBoardCallback.TrainGroup, displayName: "Train accuracy", datasetType: DatasetType.Training),
    new("epoch_loss", group: TensorBoardCallback.TrainGroup, displayName: "Train loss", datasetType: DatasetType.Training),
];
using (var root = SummaryWriter.Create(logDir))
{
    root.HParamsConfig([units, activation, dropout, learningRate], metrics);
}

(TabularDataset train, TabularDataset test) = Datasets.LoadBreastCancer().StratifiedSplit(testFraction: 0.2, seed: 42);
var scaler = Standardizer.Fit(train);
train = scaler.Transform(train);
test = scaler.Transform(test);

var hparams = new Dictionary<HParam, object> { [units] = 16, [activation] = "relu", [dropout] = 0.2, [learningRate] = 1e-3 };
ModelSpec spec = ModelSpec.Sequential()
    .Dense(Convert.ToInt32(hparams[units]), (string)hparams[activation])
    .Dropout((double)hparams[dropout])
    .Output(ModelTask.Binary)
    .Compile("adam", learningRate: (double)hparams[learningRate]);

string runDir = Path.Combine(logDir, "trial-0001");
using TorchModel model = TorchModel.Build(spec, train.Columns, seed: 0);
Console.WriteLine($"Model: {spec} ({model.ParameterCount} parameters)");
TrainingHistory history = model.Fit(train, new FitOptions
{
    Epochs = 30,
    BatchSize = 32,
    ValidationSplit = 0.2,
    Seed = 0,
    Callbacks =
    [
        new TensorBoardCallback(runDir, model.Task.MetricName) { HistogramFrequency = 5, ClassificationData = test, ClassificationFrequency = 10, Epochs = 30 },
        new HParamsCallback(runDir, hparams),
    ],
});

// The root run: a grouped chart of both losses, the test rows in the Projector, notes, and the
// validation accuracy by epoch as a rising or falling tone (100 ms an epoch, 220-880 Hz).
using (var root = SummaryWriter.Create(Path.Combine(logDir, "overview")))
{
    root.CustomScalars(new CustomScalarLayout([new CustomScalarCategory("Training", [new MultilineChart("Loss, train and validation", ["epoch_loss"]), new MultilineChart("Accuracy, train and validation", ["epoch_accuracy"])])]));
    root.Embedding("test_rows", [.. Enumerable.Range(0, test.Count).Select(r => test.Features.Slice(r * test.Columns, test.Columns).ToArray())], 0, [.. test.Labels.Select(l => test.ClassNames[l])]);
    root.Text("notes", $"**Model**: `{spec}`, {model.ParameterCount} parameters.\n\n| epochs | batch | validation split |\n|---:|---:|---:|\n| 30 | 32 | 0.2 |", 0);
    const int rate = 8000;
    float[] tone = [.. history.Epochs.SelectMany(e => Enumerable.Range(0, rate / 10).Select(i => (float)(0.5 * Math.Sin(2 * Math.PI * (220 + (660 * (e.ValidationMetric ?? 0))) * i / rate))))];
    root.Audio("validation_accuracy_as_tone", tone, rate, 0);
}

foreach (EpochResult epoch in history.Epochs.Where(e => e.Epoch % 5 == 4))
{
    Console.WriteLine($"Epoch {epoch.Epoch + 1,2}: loss {epoch.Loss:F4}, accuracy {epoch.Metric:F4}, val_loss {epoch.ValidationLoss:F4}, val_accuracy {epoch.ValidationMetric:F4}");
}

Evaluation evaluation = model.Evaluate(test);
Console.WriteLine($"Test: loss {evaluation.Loss:F4}, accuracy {evaluation.Metric:F4}");
Console.WriteLine($"Wrote {runDir}/train, {runDir}/validation and {logDir}/overview; open with: tensorboard --logdir {Path.GetRelativePath(Environment.CurrentDirectory, logDir)}");
