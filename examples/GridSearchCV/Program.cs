// scikit-learn's GridSearchCV scenario ("Tune dropout, optimizer and activation of a Keras model"):
// a small network on the breast-cancer data set, optimizer {adam, sgd} x activation {relu, tanh}
// x dropout_rate {0.0, 0.2, 0.5}, each configuration scored by 3-fold stratified cross-validation.
// Every fold is a TensorBoard session; the folds of a configuration form one session group, so
// TensorBoard's HParams dashboard shows the configuration's mean accuracy.
using HParamsNet;
using HParamsNet.Examples;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Estimators;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Strategies;

string logDir = ExampleLogDirectory.Prepare(args, "grid_search_cv");

var optimizer = new HParam("optimizer", new Discrete("adam", "sgd"));
var activation = new HParam("activation", new Discrete("relu", "tanh"));
var dropoutRate = new HParam("dropout_rate", new Discrete(0.0, 0.2, 0.5));
var accuracy = new Metric("accuracy", displayName: "CV test accuracy", datasetType: DatasetType.Validation);

TabularDataset data = Datasets.LoadBreastCancer();
var estimator = new TorchEstimator(
    hparams => ModelSpec.Sequential()
        .Dense(16, (string)hparams["activation"])
        .Dropout((double)hparams["dropout_rate"])
        .Dense(8, (string)hparams["activation"])
        .Output(ModelTask.Binary)
        .Compile((string)hparams["optimizer"], learningRate: (string)hparams["optimizer"] == "sgd" ? 0.05 : 0.005),
    new FitOptions { Epochs = 30, BatchSize = 16, Seed = 0 });

var options = new TunerOptions
{
    LogDir = logDir,
    Space = [optimizer, activation, dropoutRate],
    Objective = new Objective(accuracy, StudyDirection.Maximize),
    Metrics = [new Metric("epoch_accuracy", group: "train", displayName: "Train accuracy"), new Metric("epoch_loss", group: "train", displayName: "Train loss")],
    Strategy = new GridSearch(),
    CrossValidation = new CrossValidationOptions(new StratifiedKFold(3, shuffle: true, seed: 0), data.Count, data.Labels),
};

StudyResult result = await TunerConsole.RunAsync(options, (trial, cancel) =>
{
    var hparams = trial.HParams.ToDictionary(p => p.Key.Name, p => p.Value);
    double score = estimator.FitAndScoreFold(data, trial.Fold!, hparams, [new TensorBoardCallback(trial.RunDirectory)], cancellationToken: cancel);
    return ValueTask.FromResult<TrialValues>(score);
});

Console.WriteLine($"Best: {result.BestScore:F6} using {TunerConsole.Params(result.BestParams, options.Space)}");
foreach (ConfigurationResult row in result.Configurations)
{
    Console.WriteLine($"{row.MeanScore:F6} ({row.StdScore:F6}) with: {TunerConsole.Params(row.Trial.HParams, options.Space)}");
}

// refit=True: the best configuration trained on all the data.
var allScaler = Standardizer.Fit(data);
var best = result.BestParams;
using (TorchModel refit = estimator.Fit(allScaler.Transform(data), best))
{
    Console.WriteLine($"Refit on all {data.Count} rows with the best params: training accuracy {TorchEstimator.Score(refit, allScaler.Transform(data)):F4}");
}

Console.WriteLine($"Wrote {logDir}; open it with: tensorboard --logdir {Path.GetRelativePath(Environment.CurrentDirectory, logDir)}");
TunerConsole.PrintReportCommand(options.Objective, logDir);
