// Keras-style fit with TensorBoard's Keras callbacks: one model, per-epoch curves in the trial's
// train/ and validation/ sub-runs (tf.keras.callbacks.TensorBoard), and the trial's hparams and
// status in its run (hp.KerasCallback). Binary classification on the breast-cancer data set.
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
    Callbacks = [new TensorBoardCallback(runDir, model.Task.MetricName), new HParamsCallback(runDir, hparams)],
});

foreach (EpochResult epoch in history.Epochs.Where(e => e.Epoch % 5 == 4))
{
    Console.WriteLine($"Epoch {epoch.Epoch + 1,2}: loss {epoch.Loss:F4}, accuracy {epoch.Metric:F4}, val_loss {epoch.ValidationLoss:F4}, val_accuracy {epoch.ValidationMetric:F4}");
}

Evaluation evaluation = model.Evaluate(test);
Console.WriteLine($"Test: loss {evaluation.Loss:F4}, accuracy {evaluation.Metric:F4}");
Console.WriteLine($"Wrote {runDir}/train and {runDir}/validation; open with: tensorboard --logdir {Path.GetRelativePath(Environment.CurrentDirectory, logDir)}");
