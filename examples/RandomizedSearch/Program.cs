// scikit-learn's RandomizedSearchCV scenario on the digits data set: learning_rate, batch_size and
// epochs drawn at random (n_iter 10, cv 3, random_state 0). Epochs are scaled down 5x from the
// scenario's {10, 20, 50, 100} to {2, 4, 10, 20} so that the 30 fits take seconds, not minutes.
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

string logDir = ExampleLogDirectory.Prepare(args, "randomized_search");

var learningRate = new HParam("learning_rate", new Discrete(1e-4, 1e-3, 1e-2, 1e-1));
var batchSize = new HParam("batch_size", new Discrete(16, 32, 64, 128));
var epochs = new HParam("epochs", new Discrete(2, 4, 10, 20));
var accuracy = new Metric("accuracy", displayName: "CV test accuracy", datasetType: DatasetType.Validation);

TabularDataset data = Datasets.LoadDigits();
var estimator = new TorchEstimator(
    hparams => ModelSpec.Sequential().Dense(64, "relu").Output(ModelTask.MultiClass(10)).Compile("adam", (double)hparams["learning_rate"]),
    new FitOptions { Seed = 0 });

var options = new TunerOptions
{
    LogDir = logDir,
    Space = [learningRate, batchSize, epochs],
    Objective = new Objective(accuracy, StudyDirection.Maximize),
    Strategy = new RandomSearch(),
    MaxTrials = 10,
    Seed = 0,
    CrossValidation = new CrossValidationOptions(new StratifiedKFold(3, shuffle: true, seed: 0), data.Count, data.Labels),
};

StudyResult result = await TunerConsole.RunAsync(options, (trial, cancel) =>
{
    var hparams = trial.HParams.ToDictionary(p => p.Key.Name, p => p.Value);
    double score = estimator.FitAndScoreFold(data, trial.Fold!, hparams, null, cancellationToken: cancel);
    return ValueTask.FromResult<TrialValues>(score);
});

foreach (ConfigurationResult row in result.Configurations.OrderBy(r => r.Rank))
{
    Console.WriteLine($"rank {row.Rank,2}: {row.MeanScore:F4} ({row.StdScore:F4}) with: {TunerConsole.Params(row.Trial.HParams, options.Space)}");
}

Console.WriteLine($"Best params: {TunerConsole.Params(result.BestParams, options.Space)} (mean CV accuracy {result.BestScore:F4})");
Console.WriteLine($"Wrote {logDir}; open it with: tensorboard --logdir {Path.GetRelativePath(Environment.CurrentDirectory, logDir)}");
TunerConsole.PrintReportCommand(options.Objective, logDir);
