// The TensorBoard HParams tutorial ("Hyperparameter Tuning with the HParams Dashboard") in C#,
// run by the tuner and training for real: an MLP on the digits data set (8x8 images, 10 classes)
// with TorchSharp, num_units x dropout x optimizer as a grid (intervals give their endpoints, as in
// the tutorial), one TensorBoard session per combination, test accuracy per session.
using HParamsNet;
using HParamsNet.Examples;
using HParamsNet.TorchSharp.Data;
using HParamsNet.TorchSharp.Models;
using HParamsNet.TorchSharp.Training;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Strategies;
using Spectre.Console;

string logDir = ExampleLogDirectory.Prepare(args, "hparam_tuning");

var numUnits = new HParam("num_units", new Discrete(16, 32));
var dropout = new HParam("dropout", new RealInterval(0.1, 0.2));
var optimizer = new HParam("optimizer", new Discrete("adam", "sgd"));
var accuracy = new Metric("accuracy", displayName: "Accuracy");

// 80/20 stratified split; features standardised with the training set's statistics.
(TabularDataset train, TabularDataset test) = Datasets.LoadDigits().StratifiedSplit(testFraction: 0.2, seed: 0);
var scaler = Standardizer.Fit(train);
train = scaler.Transform(train);
test = scaler.Transform(test);
var fitOptions = new FitOptions { Epochs = 20, BatchSize = 32, Seed = 0 };

var options = new TunerOptions
{
    LogDir = logDir,
    Space = [numUnits, dropout, optimizer],
    Objective = new Objective(accuracy, StudyDirection.Maximize),
    Metrics = [new Metric("epoch_accuracy", group: "train", displayName: "Train accuracy"), new Metric("epoch_loss", group: "train", displayName: "Train loss")],
    Strategy = new GridSearch(),
};

StudyResult result = await TunerConsole.RunAsync(options, (trial, cancel) =>
{
    ModelSpec spec = ModelSpec.Sequential()
        .Dense(trial.Get<int>(numUnits), Activation.Relu)
        .Dropout(trial.Get<double>(dropout))
        .Output(ModelTask.MultiClass(10))
        .Compile(trial.Get<string>(optimizer));
    using TorchModel model = TorchModel.Build(spec, train.Columns, fitOptions.Seed);
    model.Fit(train, fitOptions with { Callbacks = [new TensorBoardCallback(trial.RunDirectory)] }, cancellationToken: cancel);
    return ValueTask.FromResult<TrialValues>(model.Evaluate(test).Metric);
});

var table = new Table().AddColumns("trial", numUnits.Name, dropout.Name, optimizer.Name, "test accuracy", "rank");
foreach (ConfigurationResult row in result.Configurations)
{
    table.AddRow(row.Trial.Name, $"{row.Trial.HParams[numUnits.Name]}", $"{row.Trial.HParams[dropout.Name]}", $"{row.Trial.HParams[optimizer.Name]}", $"{row.MeanScore:F4}", $"{row.Rank}");
}

AnsiConsole.Write(table);
Console.WriteLine($"Best: {result.BestScore:F4} using {TunerConsole.Params(result.BestParams, options.Space)} ({result.BestTrial!.Name})");
Console.WriteLine($"Wrote {logDir}; open it with: tensorboard --logdir {Path.GetRelativePath(Environment.CurrentDirectory, logDir)}");
TunerConsole.PrintReportCommand(options.Objective, logDir);
