using HParamsNet.Tuning;
using HParamsNet.Tuning.Strategies;
using Microsoft.ML;

namespace HParamsNet.MLNet;

/// <summary>How <see cref="MLNetTuner"/> tunes: where it writes, how many trials, which trainers or which pipeline.</summary>
public sealed record MLNetTunerOptions
{
    /// <summary>The study's TensorBoard log directory.</summary>
    public required string LogDir { get; init; }

    /// <summary>
    /// The search strategy; TPE by default, which fits each hparam on the trials where it is active
    /// (the trainers' spaces are conditional), after 10 random trials.
    /// </summary>
    public SearchStrategy Strategy { get; init; } = new TpeSearch(new TpeOptions { StartupTrials = 10 });

    /// <summary>Trials to run (the study's, counting a resumed study's earlier ones); each fits <see cref="Folds"/> models. Ignored when <see cref="MaxCompleteTrials"/> is set.</summary>
    public int MaxTrials { get; init; } = 30;

    /// <summary>
    /// Complete trials the study needs, every worker's: what several processes tuning one study in
    /// <see cref="Storage"/> count together (a trial that failed or was cut short does not count).
    /// <see langword="null"/>: <see cref="MaxTrials"/> counts.
    /// </summary>
    public int? MaxCompleteTrials { get; init; }

    /// <summary>
    /// Where the study lives when several processes (or machines) tune it together, each calling
    /// <see cref="MLNetTuner.TuneAsync"/> with the same <see cref="StudyName"/>: its trials are
    /// proposed from every worker's, and each worker writes its sessions into <see cref="LogDir"/>.
    /// <see langword="null"/>: the log directory is the study's record (one process).
    /// </summary>
    public Tuning.Storage.IStudyStorage? Storage { get; init; }

    /// <summary>The study's name in <see cref="Storage"/>; needed with it.</summary>
    public string? StudyName { get; init; }

    /// <summary>Cross-validation folds per trial (stratified for classification): the folds of a trial are one TensorBoard session group.</summary>
    public int Folds { get; init; } = 3;

    /// <summary>Seeds the strategy, the folds' shuffle and ML.NET.</summary>
    public int Seed { get; init; }

    /// <summary>Trials run at once.</summary>
    public int Parallelism { get; init; } = 1;

    /// <summary>The trainers searched over (see <see cref="TrainerSpaces.Trainers"/>); all when <see langword="null"/>. Ignored with <see cref="Pipeline"/>.</summary>
    public IReadOnlyList<string>? Trainers { get; init; }

    /// <summary>
    /// Your own pipeline: a function from a configuration (values by hparam name: a trial's, then the
    /// best one for the refit) to an estimator taking <c>Features</c> and <c>Label</c>. Give
    /// <see cref="Space"/> with it. <see langword="null"/>: <see cref="TrainerSpaces.Build"/>.
    /// </summary>
    public Func<MLContext, IReadOnlyDictionary<string, object>, IEstimator<ITransformer>>? Pipeline { get; init; }

    /// <summary>The hparams <see cref="Pipeline"/> reads (conditional ones allowed); <see cref="TrainerSpaces.Space"/> when <see langword="null"/>.</summary>
    public IReadOnlyList<HParam>? Space { get; init; }

    /// <summary>
    /// Steps of ensemble selection after the study, at most (Caruana et al., 2004): each adds, with
    /// replacement, the trial whose cross-validated predictions most improve the average, and the
    /// ensemble after the best step is kept, a trial's weight its count over the steps kept. The
    /// chosen trials are refitted and returned as <see cref="MLNetTuningResult.Ensemble"/>. While the
    /// study runs each trial's held-out predictions are kept in memory (rows × classes floats per
    /// trial). 0: no ensemble.
    /// </summary>
    public int EnsembleSize { get; init; } = 25;

    /// <summary>Reports the tuner's progress.</summary>
    public IProgress<TunerProgress>? Progress { get; init; }

    internal void Validate()
    {
        ArgumentException.ThrowIfNullOrEmpty(LogDir, nameof(LogDir));
        ArgumentNullException.ThrowIfNull(Strategy, nameof(Strategy));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxTrials, 1, nameof(MaxTrials));
        if (MaxCompleteTrials is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxCompleteTrials), MaxCompleteTrials, "MaxCompleteTrials must be at least 1.");
        }

        if (Storage is not null && string.IsNullOrWhiteSpace(StudyName))
        {
            throw new ArgumentException("A shared Storage needs the StudyName every worker joins.", nameof(StudyName));
        }
        ArgumentOutOfRangeException.ThrowIfLessThan(Folds, 2, nameof(Folds));
        ArgumentOutOfRangeException.ThrowIfNegative(EnsembleSize, nameof(EnsembleSize));
        if (Pipeline is not null && Space is null)
        {
            throw new ArgumentException("A custom Pipeline needs the Space of hparams it reads.", nameof(Space));
        }
    }
}
