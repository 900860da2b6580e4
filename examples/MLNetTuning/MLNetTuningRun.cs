using System.Globalization;
using System.Text.Json;
using HParamsNet.MLNet;
using HParamsNet.Storage;
using HParamsNet.Tuning.Storage;
using Microsoft.ML;

namespace HParamsNet.Examples.MLNet;

/// <summary>
/// Per data set: every trainer's defaults on the held-out test rows, then the study (alone, or as
/// one of the processes of a shared study), the tuned model and ensemble on the same test rows;
/// the results in <c>results.json</c>, the models beside the studies' log directories.
/// </summary>
internal static class MLNetTuningRun
{
    private const int Seed = 0;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task<int> RunAsync(TuningSettings settings, CancellationToken cancellationToken)
    {
        bool shared = settings.StorageUrl is not null;

        // Alone, earlier results are moved aside; the processes of a shared study write one directory together.
        string root = shared
            ? ExampleLogDirectory.Prepare(Path.GetFullPath(settings.LogDir ?? Path.Combine("logs", "mlnet_tuning")), moveAside: false)
            : ExampleLogDirectory.Prepare(settings.LogDir is null ? [] : [settings.LogDir], "mlnet_tuning");
        string data = Path.Combine(AppContext.BaseDirectory, "Data");
        await using IStudyStorage? storage = shared ? await StudyStorageUrl.Parse(settings.StorageUrl!).OpenAsync(cancellationToken) : null;
        var results = new List<Dictionary<string, object>>();
        foreach ((string name, MLTask task, Func<string, TabularData> load) in MLNetDatasets.All.Where(d => settings.DatasetNames.Contains(d.Name)))
        {
            results.Add(await TuneAsync(settings, storage, root, data, name, task, load, cancellationToken));
        }

        // Written whole, then renamed: processes of a shared study finishing together never mix their files.
        string json = Path.Combine(root, shared ? $"results-{Environment.ProcessId}.json" : "results.json");
        await File.WriteAllTextAsync(json + ".tmp", JsonSerializer.Serialize(results, Indented), cancellationToken);
        File.Move(json + ".tmp", json, overwrite: true);

        // Each data set is a study with its own experiment (hparams and metrics differ by task), and
        // TensorBoard's HParams tab shows one experiment per log directory: open one study at a time.
        Console.WriteLine($"Wrote {json}; TensorBoard, one study at a time: {string.Join(" | ", results.Select(r => $"tensorboard --logdir {Path.GetRelativePath(Environment.CurrentDirectory, Path.Combine(root, (string)r["dataset"]))}"))}");
        return 0;
    }

    private static async Task<Dictionary<string, object>> TuneAsync(TuningSettings settings, IStudyStorage? storage, string root, string data, string name, MLTask task, Func<string, TabularData> load, CancellationToken cancellationToken)
    {
        (TabularData train, TabularData test) = load(data).Split(testFraction: 0.2, seed: Seed);
        string metric = TaskMetrics.For(task)[0].Tag;
        Console.WriteLine($"{name}: {task}, {train.Rows} training rows, {test.Rows} test rows, objective {metric} (lower is better)");

        // Each default is scored twice: on the held-out rows (the best of four picked by its test
        // score, which no tuner can do) and by the study's own cross-validation (the default a user
        // would pick without looking at the test rows).
        var defaults = new List<(string Trainer, double Score, double Cv)>();
        foreach (string trainer in TrainerSpaces.Trainers)
        {
            var ml = new MLContext(Seed);
            ITransformer model = TrainerSpaces.Default(ml, task, trainer).Fit(train.ToDataView(ml));
            double score = TaskMetrics.Evaluate(ml, task, model, test.ToDataView(ml))[metric];
            double cv = MLNetTuner.CrossValidate(train, m => TrainerSpaces.Default(m, task, trainer), settings.Folds, Seed)[metric];
            defaults.Add((trainer, score, cv));
            Console.WriteLine($"  default {trainer,-10} test {metric} {score:F4} (cross-validated {cv:F4})");
        }

        string logDir = Path.Combine(root, name);
        MLNetTuningResult tuned = await MLNetTuner.TuneAsync(train, new MLNetTunerOptions
        {
            LogDir = logDir,
            MaxTrials = settings.Trials,
            MaxCompleteTrials = storage is null ? null : settings.Trials,
            Storage = storage,
            StudyName = settings.Study is null ? null : $"{settings.Study}-{name}",
            Folds = settings.Folds,
            Seed = Seed,
        }, cancellationToken);
        var evaluation = new MLContext(Seed);
        double singleScore = TaskMetrics.Evaluate(evaluation, task, tuned.Model, test.ToDataView(evaluation))[metric];
        double? ensembleScore = tuned.Ensemble is { } ensemble ? TaskMetrics.Evaluate(evaluation, task, ensemble, test.ToDataView(evaluation))[metric] : null;
        (string bestTrainer, double bestDefault, _) = defaults.MinBy(d => d.Score);
        (string cvTrainer, double cvDefault, _) = defaults.MinBy(d => d.Cv);
        int complete = tuned.Study.Trials.Count(t => t.State == Trials.TrialState.Complete);
        Console.WriteLine($"  study   {complete} complete trials x {settings.Folds} folds{(storage is null ? string.Empty : $" (every process's; {tuned.Fits} fits here)")}; best default: {bestTrainer} {bestDefault:F4}; default chosen by cross-validation: {cvTrainer} {cvDefault:F4}");
        if (tuned.Ensemble is { } chosen)
        {
            Console.WriteLine($"  tuned   ensemble   test {metric} {ensembleScore:F4}: {string.Join(", ", chosen.Members.Select(m => $"{m.Weight:P0} trial {m.Trial} ({tuned.Study.Trials.First(t => t.Number == m.Trial).HParams[TrainerSpaces.Trainer]})"))}");
        }

        Console.WriteLine($"  tuned   {tuned.BestParams[TrainerSpaces.Trainer],-10} test {metric} {singleScore:F4} (the best trial alone: {string.Join(", ", tuned.BestParams.Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}"))})");

        // Both results saved as a user would ship them, beside (not inside) the study's TensorBoard runs.
        DataViewSchema schema = train.ToDataView(evaluation).Schema;
        string suffix = storage is null ? string.Empty : $".{Environment.ProcessId}";
        evaluation.Model.Save(tuned.Model, schema, Path.Combine(root, $"{name}{suffix}.model.zip"));
        if (tuned.Ensemble is { } saved)
        {
            await using FileStream zip = File.Create(Path.Combine(root, $"{name}{suffix}.ensemble.zip"));
            saved.Save(schema, zip);
        }

        // The best model's PR curves and confusion matrix on the held-out rows, in a run beside the
        // study's (a study's log directory holds its trials only); TensorBoard on the root shows both.
        if (task != MLTask.Regression)
        {
            string judged = Path.Combine(root, $"{name}_best_model{suffix}");
            if (!Directory.Exists(judged))
            {
                ModelEvaluationWriter.Write(tuned.Model, test, judged, seed: Seed);
                Console.WriteLine($"  wrote the best model's PR curves and confusion matrix on the test rows to {judged}");
            }
        }

        TunerConsole.PrintReportCommand(TaskMetrics.Objective(task), logDir);
        return new Dictionary<string, object>
        {
            ["dataset"] = name,
            ["metric"] = metric,
            ["higher_is_better"] = false,
            ["tuned"] = ensembleScore ?? singleScore,
            ["tuned_single"] = singleScore,
            ["ensemble"] = tuned.Ensemble?.Members.Select(m => new Dictionary<string, object> { ["trial"] = m.Trial, ["weight"] = m.Weight }).ToList() ?? [],
            ["best_default"] = bestDefault,
            ["best_default_trainer"] = bestTrainer,
            ["fits"] = tuned.Fits,
            ["complete_trials"] = complete,
            ["cv_selected_default"] = cvDefault,
            ["cv_selected_default_trainer"] = cvTrainer,
            ["tuned_cv"] = tuned.Study.BestScore,
        };
    }
}
