// Tunes the ML.NET trainer and its own hparams on three real data sets, each against the ML.NET
// defaults of every candidate trainer on the same held-out test split.
//   dotnet run -c Release --project examples/MLNetTuning [LOGDIR] [--trials N] [--folds K] [--datasets LIST]
// Several processes (or machines) tune one study per data set together through a storage:
//   dotnet run -c Release --project examples/MLNetTuning -- --storage sqlite:///abs/path.db --study s --datasets breast_cancer --trials 30
// (--trials then counts the study's complete trials, every process's.)
using System.CommandLine;
using HParamsNet.Examples;
using HParamsNet.Examples.MLNet;

var logDir = new Argument<string?>("LOGDIR") { Description = "Where the studies' TensorBoard log directories go, one per data set (default: logs/mlnet_tuning).", Arity = ArgumentArity.ZeroOrOne };
var trials = new Option<int>("--trials") { Description = "Trials per data set; with --storage, complete trials of the shared study.", DefaultValueFactory = _ => 60 };
var folds = new Option<int>("--folds") { Description = "Cross-validation folds per trial (stratified for classification).", DefaultValueFactory = _ => 5 };
var datasets = new Option<string>("--datasets") { Description = $"The data sets, comma-separated: {string.Join(", ", MLNetDatasets.All.Select(d => d.Name))}.", DefaultValueFactory = _ => string.Join(",", MLNetDatasets.All.Select(d => d.Name)) };
var storage = new Option<string?>("--storage") { Description = "sqlite:///absolute/path.db or postgresql://user@host:5432/database: the storage every process of the study shares." };
var study = new Option<string?>("--study") { Description = "The study's name in --storage; each data set is the study NAME-DATASET." };
var root = new RootCommand("Tunes ML.NET trainers and their hparams on real data sets, against every trainer's defaults.") { logDir, trials, folds, datasets, storage, study };
root.SetAction(async (parse, cancel) =>
{
    var settings = new TuningSettings(parse.GetValue(logDir), parse.GetValue(trials), parse.GetValue(folds), parse.GetValue(datasets)!, parse.GetValue(storage), parse.GetValue(study));
    if (settings.Check() is string problem)
    {
        Console.Error.WriteLine(problem);
        return 2;
    }

    return await MLNetTuningRun.RunAsync(settings, cancel);
});
return await root.Parse(args).InvokeAsync();
