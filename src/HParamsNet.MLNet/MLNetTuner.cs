using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.CrossValidation;
using Microsoft.ML;

namespace HParamsNet.MLNet;

/// <summary>What tuning gave: the study, the best configuration and its model refitted on all training rows.</summary>
/// <param name="Study">The study (every trial, the best by mean cross-validated objective).</param>
/// <param name="BestParams">The best configuration, by hparam name.</param>
/// <param name="Model">The best pipeline fitted on all training rows; save it with <c>MLContext.Model.Save</c>.</param>
/// <param name="Fits">Models this call fitted: the folds it trained (not those other workers trained, nor folds carried over from a lost trial), the refit and the ensemble's other members.</param>
public sealed record MLNetTuningResult(StudyResult Study, IReadOnlyDictionary<string, object> BestParams, ITransformer Model, int Fits)
{
    /// <summary>
    /// The trials chosen by ensemble selection on their cross-validated predictions, refitted and
    /// averaged (<see cref="MLNetTunerOptions.EnsembleSize"/>); <see langword="null"/> when that is 0
    /// or no trial of this run has predictions for every fold.
    /// </summary>
    public MLNetEnsemble? Ensemble { get; init; }
}

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
        ICrossValidator splitter = Splitter(task, options.Folds, options.Seed);
        OutOfFoldPredictions? outOfFold = options.EnsembleSize > 0 ? new OutOfFoldPredictions(train) : null;
        var tuner = new Tuner(new TunerOptions
        {
            LogDir = options.LogDir,
            Space = options.Space ?? TrainerSpaces.Space(options.Trainers),
            Objective = TaskMetrics.Objective(task),
            Metrics = metrics.Skip(1).ToList(),
            Strategy = options.Strategy,
            MaxTrials = options.MaxCompleteTrials is null ? options.MaxTrials : null,
            MaxCompleteTrials = options.MaxCompleteTrials,
            Storage = options.Storage,
            StudyName = options.StudyName,
            Seed = options.Seed,
            Parallelism = options.Parallelism,
            CrossValidation = new CrossValidationOptions(splitter, train.Rows, train.Classes),
            Progress = options.Progress,
        });

        int trained = 0;
        StudyResult study = await tuner.RunAsync(trial =>
        {
            Interlocked.Increment(ref trained);
            IReadOnlyDictionary<string, object> hparams = trial.HParams.ToDictionary(p => p.Key.Name, p => p.Value);
            Action<float[][]>? keep = outOfFold is null ? null : predictions => outOfFold.Record(trial.Number, trial.Fold!.TestIndices, predictions);
            IReadOnlyDictionary<string, double> scores = FoldScores(train, trial.Fold!, ml => pipeline(ml, hparams), options.Seed, keep);
            return new TrialValues(scores[metrics[0].Tag], metrics.Skip(1).ToDictionary(m => m, m => scores[m.Tag]));
        }, cancellationToken).ConfigureAwait(false);

        if (study.BestTrial is null)
        {
            string why = study.Trials.FirstOrDefault(t => t.Error is not null)?.Error ?? "none ran";
            throw new InvalidOperationException($"No trial of the study in '{options.LogDir}' completed, so there is no model to refit; the first error: {why}");
        }

        var refit = new MLContext(options.Seed);
        // (the refit sees every training row once; its score is measured by the caller on held-out rows)
        ITransformer best = pipeline(refit, study.BestParams).Fit(train.ToDataView(refit));
        int fits = trained + 1;
        MLNetEnsemble? ensemble = outOfFold is null ? null : EnsembleBuilder.Build(refit, study, outOfFold, options.EnsembleSize, (study.BestTrial.Number, best), hparams => pipeline(refit, hparams));
        fits += ensemble?.Members.Count(m => m.Trial != study.BestTrial.Number) ?? 0;
        return new MLNetTuningResult(study, study.BestParams, best, fits) { Ensemble = ensemble };
    }

    /// <summary>
    /// A pipeline's mean scores over the same folds a study with these <paramref name="folds"/> and
    /// <paramref name="seed"/> uses: how to compare, say, ML.NET's defaults with a tuned result by
    /// cross-validation rather than by the held-out rows.
    /// </summary>
    /// <param name="train">The training rows.</param>
    /// <param name="pipeline">The estimator to fit on each fold.</param>
    /// <param name="folds">Folds (stratified for classification).</param>
    /// <param name="seed">The folds' shuffle and ML.NET's seed.</param>
    public static IReadOnlyDictionary<string, double> CrossValidate(TabularData train, Func<MLContext, IEstimator<ITransformer>> pipeline, int folds, int seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(pipeline);
        var perFold = Splitter(train.Task, folds, seed).Split(train.Rows, train.Classes).Select(fold => FoldScores(train, fold, pipeline, seed, predictions: null)).ToList();
        return perFold[0].Keys.ToDictionary(k => k, k => perFold.Average(f => f[k]), StringComparer.Ordinal);
    }

    private static ICrossValidator Splitter(MLTask task, int folds, int seed) => task == MLTask.Regression
        ? new KFold(folds, shuffle: true, seed: seed)
        : new StratifiedKFold(folds, shuffle: true, seed: seed);

    private static IReadOnlyDictionary<string, double> FoldScores(TabularData train, CrossValidationFold fold, Func<MLContext, IEstimator<ITransformer>> pipeline, int seed, Action<float[][]>? predictions)
    {
        var ml = new MLContext(seed);
        ITransformer model = pipeline(ml).Fit(train.Subset(fold.TrainIndices).ToDataView(ml));
        IDataView scored = model.Transform(train.Subset(fold.TestIndices).ToDataView(ml));
        if (predictions is not null)
        {
            // Read twice (the predictions, then the metrics): cached, so the model scores the rows once.
            scored = ml.Data.Cache(scored);
            predictions(OutOfFoldPredictions.Read(train.Task, scored, train.ClassCount));
        }

        return TaskMetrics.EvaluateScored(ml, train.Task, scored);
    }
}
