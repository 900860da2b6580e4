using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;
using Microsoft.ML;

namespace HParamsNet.MLNet;

/// <summary>What tuning gave: the study, the best configuration and its model refitted on all training rows.</summary>
/// <param name="Study">The study (every trial, the best by mean cross-validated objective).</param>
/// <param name="BestParams">The best configuration, by hparam name.</param>
/// <param name="Model">The best pipeline fitted on all training rows; save it with <c>MLContext.Model.Save</c>.</param>
/// <param name="Fits">Models fitted in all: trials × folds, and the refit.</param>
public sealed record MLNetTuningResult(StudyResult Study, IReadOnlyDictionary<string, object> BestParams, ITransformer Model, int Fits);

/// <summary>
/// Tunes an ML.NET pipeline with the core's tuner: by default the trainer and its own hparams as
/// one conditional space (<see cref="TrainerSpaces"/>), each trial scored by k-fold
/// cross-validation on the training rows (the tuner's splitters; folds are sessions of one group
/// in TensorBoard), every task metric logged, then the best configuration refitted on all
/// training rows.
/// </summary>
public static class MLNetTuner
{
    /// <summary>Runs the study on <paramref name="train"/> and refits the best pipeline.</summary>
    /// <param name="train">The training rows (keep a test split apart to measure the result).</param>
    /// <param name="options">Where and how to tune.</param>
    /// <param name="cancellationToken">Stops the study (finished trials stay recorded; a later run resumes).</param>
    /// <exception cref="InvalidOperationException">No trial completed; the message says why the first failed.</exception>
    public static async Task<MLNetTuningResult> TuneAsync(TabularData train, MLNetTunerOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        MLTask task = train.Task;
        IReadOnlyList<Metric> metrics = TaskMetrics.For(task);
        Func<MLContext, IReadOnlyDictionary<string, object>, IEstimator<ITransformer>> pipeline = options.Pipeline ?? ((ml, hparams) => TrainerSpaces.Build(ml, task, hparams));
        ICrossValidator splitter = task == MLTask.Regression
            ? new KFold(options.Folds, shuffle: true, seed: options.Seed)
            : new StratifiedKFold(options.Folds, shuffle: true, seed: options.Seed);
        var tuner = new Tuner(new TunerOptions
        {
            LogDir = options.LogDir,
            Space = options.Space ?? TrainerSpaces.Space(options.Trainers),
            Objective = TaskMetrics.Objective(task),
            Metrics = metrics.Skip(1).ToList(),
            Strategy = options.Strategy,
            MaxTrials = options.MaxTrials,
            Seed = options.Seed,
            Parallelism = options.Parallelism,
            CrossValidation = new CrossValidationOptions(splitter, train.Rows, train.Classes),
            Progress = options.Progress,
        });

        StudyResult study = await tuner.RunAsync(trial =>
        {
            CrossValidationFold fold = trial.Fold!;
            var ml = new MLContext(options.Seed);
            IReadOnlyDictionary<string, object> hparams = trial.HParams.ToDictionary(p => p.Key.Name, p => p.Value);
            ITransformer model = pipeline(ml, hparams).Fit(train.Subset(fold.TrainIndices).ToDataView(ml));
            IReadOnlyDictionary<string, double> scores = TaskMetrics.Evaluate(ml, task, model, train.Subset(fold.TestIndices).ToDataView(ml));
            return new TrialValues(scores[metrics[0].Tag], metrics.Skip(1).ToDictionary(m => m, m => scores[m.Tag]));
        }, cancellationToken).ConfigureAwait(false);

        if (study.BestTrial is null)
        {
            string why = study.Trials.FirstOrDefault(t => t.Error is not null)?.Error ?? "none ran";
            throw new InvalidOperationException($"No trial of the study in '{options.LogDir}' completed, so there is no model to refit; the first error: {why}");
        }

        var refit = new MLContext(options.Seed);
        ITransformer best = pipeline(refit, study.BestParams).Fit(train.ToDataView(refit));
        return new MLNetTuningResult(study, study.BestParams, best, (study.Trials.Count * options.Folds) + 1);
    }
}
