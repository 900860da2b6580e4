using System.Diagnostics;
using System.Globalization;
using HParamsNet.Examples;
using HParamsNet.MLNet;
using HParamsNet.Tuning.CrossValidation;
using Microsoft.ML;

namespace HParamsNet.Bench;

/// <summary>
/// The ML.NET example's comparison by nested cross-validation: every row of a data set is held
/// out exactly once (outer folds, seed 0), each outer training part is tuned as the example tunes
/// (trials × inner folds, TPE, seed 0) and every trainer's ML.NET defaults are fitted on the same
/// part; the tuned result is scored twice, as the best trial alone and as the ensemble selected
/// from the study's trials. One 20 % split holds about 114 rows of breast cancer, and its log-loss is decided by
/// whether one to three rows a model is confidently wrong about fall in it; the outer folds score
/// each method on all rows.
/// Usage: mlnet-nested [--datasets breast_cancer,digits,diabetes] [--trials 40] [--folds 5] [--outer 5]
/// </summary>
internal static class MLNetNested
{
    public static void Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task RunAsync(string[] args)
    {
        // Names are checked before any work, so a typo fails at once and names the known sets.
        var datasets = (SamplerSuite.ArgString(args, "--datasets") ?? string.Join(',', MLNetDatasets.All.Select(d => d.Name))).Split(',')
            .Select(name => MLNetDatasets.All.FirstOrDefault(d => d.Name == name) is { Load: not null } known
                ? known
                : throw new ArgumentException($"Data set '{name}' is not one of {string.Join(", ", MLNetDatasets.All.Select(d => d.Name))}.", nameof(args)))
            .ToList();
        int trials = SamplerSuite.ArgInt(args, "--trials", 40);
        int folds = SamplerSuite.ArgInt(args, "--folds", 5);
        int outer = SamplerSuite.ArgInt(args, "--outer", 5);
        string logs = Path.Combine(Path.GetTempPath(), "hparamsnet-mlnet-nested", Guid.NewGuid().ToString("N"));
        Console.WriteLine($"# ML.NET tuned vs defaults, nested CV ({outer} outer folds; {trials} trials x {folds} inner folds) — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {MachineInfo.Describe()}");
        Console.WriteLine();
        Console.WriteLine($"| data set | objective | {string.Join(" | ", TrainerSpaces.Trainers.Select(t => $"{t} default"))} | tuned (best trial) | tuned (ensemble) | best trial's trainers | best trial / ensemble wins vs best default (folds) | minutes |");
        Console.WriteLine($"|---|---|{string.Concat(TrainerSpaces.Trainers.Select(_ => "---:|"))}---:|---:|---|---:|---:|");
        try
        {
            foreach ((string name, MLTask task, Func<string, TabularData> load) in datasets)
            {
                TabularData data = load(Path.Combine(AppContext.BaseDirectory, "MLNetData"));
                string metric = TaskMetrics.For(task)[0].Tag;
                FoldSplitter splitter = task == MLTask.Regression ? new KFold(outer, shuffle: true, seed: 0) : new StratifiedKFold(outer, shuffle: true, seed: 0);
                var defaults = TrainerSpaces.Trainers.ToDictionary(t => t, _ => new List<double>());
                var tuned = new List<double>();
                var ensembles = new List<double>();
                var picked = new List<string>();
                var clock = Stopwatch.StartNew();
                foreach (CrossValidationFold fold in splitter.Split(data.Rows, data.Classes))
                {
                    TabularData train = data.Subset(fold.TrainIndices);
                    TabularData test = data.Subset(fold.TestIndices);
                    foreach (string trainer in TrainerSpaces.Trainers)
                    {
                        var ml = new MLContext(0);
                        defaults[trainer].Add(TaskMetrics.Evaluate(ml, task, TrainerSpaces.Default(ml, task, trainer).Fit(train.ToDataView(ml)), test.ToDataView(ml))[metric]);
                    }

                    MLNetTuningResult result = await MLNetTuner.TuneAsync(train, new MLNetTunerOptions { LogDir = Path.Combine(logs, name, $"outer_{fold.Index}"), MaxTrials = trials, Folds = folds, Seed = 0 });
                    var evaluation = new MLContext(0);
                    tuned.Add(TaskMetrics.Evaluate(evaluation, task, result.Model, test.ToDataView(evaluation))[metric]);
                    ensembles.Add(TaskMetrics.Evaluate(evaluation, task, result.Ensemble!, test.ToDataView(evaluation))[metric]);
                    object options = result.BestParams.GetValueOrDefault(TrainerSpaces.OptionsName((string)result.BestParams[TrainerSpaces.Trainer]), "?");
                    picked.Add($"{result.BestParams[TrainerSpaces.Trainer]} {options}");
                }

                List<double> bestDefault = defaults.MinBy(d => d.Value.Average()).Value;
                int Wins(List<double> scores) => scores.Zip(bestDefault).Count(p => p.First < p.Second);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {metric} | {string.Join(" | ", TrainerSpaces.Trainers.Select(t => Format(defaults[t].Average())))} | {Format(tuned.Average())} | {Format(ensembles.Average())} | {string.Join(", ", picked)} | {Wins(tuned)}/{outer} / {Wins(ensembles)}/{outer} | {clock.Elapsed.TotalMinutes:F1} |"));
            }
        }
        finally
        {
            if (Directory.Exists(logs))
            {
                Directory.Delete(logs, recursive: true);
            }
        }
    }

    private static string Format(double value) => double.IsFinite(value) ? value.ToString("0.####", CultureInfo.InvariantCulture) : "∞";
}
