using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// Where a study's trials live, so that several workers (tasks, processes, machines) can share
/// one study: Optuna's storage contract, asynchronous. Every implementation passes one shared
/// contract test suite; TensorBoard's log directory stays the view whatever the store.
/// </summary>
/// <remarks>
/// Trials are addressed by study name and trial number. Numbers are allocated by the store,
/// 1, 2, 3, ... with no gap and no repeat across workers. A trial is created Running, gets its
/// configuration once, reports intermediate values, sends heartbeats while it runs, and is
/// finished once: by its worker, or, when its heartbeat is older than a grace period, by any
/// worker that fails stale trials (the first of the two wins). Reads return immutable snapshots.
/// A store that takes locks takes them in one order in every call (the study, then its trials),
/// so that concurrent calls never deadlock.
/// </remarks>
public interface IStudyStorage : IAsyncDisposable
{
    /// <summary>Creates the study, or loads it when a study of that name exists with the same hparams and metrics.</summary>
    /// <param name="definition">The study's name, experiment and objective.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">A study of that name exists with another definition; the message names the first difference.</exception>
    ValueTask CreateOrLoadStudyAsync(StudyDefinition definition, CancellationToken cancellationToken = default);

    /// <summary>Every study in the storage, by name.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<IReadOnlyList<StudySummary>> GetStudiesAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates the study's next trial, Running, with a heartbeat now, and returns its number.</summary>
    /// <param name="study">The study's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<int> CreateTrialAsync(string study, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the study's next trial, Running, with its configuration, in one step, unless another
    /// trial that is running, complete or pruned has the same configuration, or the study has
    /// reached <paramref name="limits"/>: then no trial is created (and no number used) and the
    /// answer is <see langword="null"/>. What a worker that proposes before it creates calls: one
    /// write instead of two.
    /// </summary>
    /// <param name="study">The study's name.</param>
    /// <param name="hparams">A value for every hparam of the study, inside its domain.</param>
    /// <param name="limits">How many trials the study may have; none when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">A value is missing, unknown or outside its domain.</exception>
    ValueTask<int?> CreateTrialAsync(string study, IReadOnlyDictionary<string, object> hparams, TrialLimits? limits = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Sets a running trial's configuration, once, unless another trial of the study that is
    /// running, complete or pruned already has the same one: then nothing is set and the answer is
    /// <see langword="false"/> (two workers that proposed at once; the later proposes again).
    /// </summary>
    /// <param name="study">The study's name.</param>
    /// <param name="number">The trial's number.</param>
    /// <param name="hparams">A value for every hparam of the study, inside its domain.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">A value is missing, unknown or outside its domain.</exception>
    /// <exception cref="InvalidOperationException">The trial already has a configuration, or is finished.</exception>
    ValueTask<bool> SetTrialHParamsAsync(string study, int number, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records what a running trial reported since its last report, in one write: intermediate
    /// values (each fold's steps after its previous ones), the values of the folds finished so far,
    /// and user attributes. All of it or none of it is recorded.
    /// </summary>
    /// <param name="study">The study's name.</param>
    /// <param name="number">The trial's number.</param>
    /// <param name="report">What to record.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">A fold's step not after its previous one, a non-finite fold value, or an empty attribute key.</exception>
    /// <exception cref="InvalidOperationException">The trial is finished.</exception>
    ValueTask ReportAsync(string study, int number, TrialReport report, CancellationToken cancellationToken = default);

    /// <summary>Refreshes a running trial's heartbeat; nothing for a finished one.</summary>
    /// <param name="study">The study's name.</param>
    /// <param name="number">The trial's number.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask HeartbeatAsync(string study, int number, CancellationToken cancellationToken = default);

    /// <summary>Finishes a running trial; <see langword="false"/> when it was already finished (e.g. failed as stale by another worker).</summary>
    /// <param name="study">The study's name.</param>
    /// <param name="number">The trial's number.</param>
    /// <param name="outcome">How it ended.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<bool> FinishTrialAsync(string study, int number, TrialOutcome outcome, CancellationToken cancellationToken = default);

    /// <summary>
    /// Fails every running trial whose heartbeat is older than <paramref name="grace"/> (its worker
    /// is gone) and returns them; a trial is returned to one caller only, however many sweep at once.
    /// </summary>
    /// <param name="study">The study's name.</param>
    /// <param name="grace">How old a heartbeat may be.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<IReadOnlyList<FrozenTrial>> FailStaleTrialsAsync(string study, TimeSpan grace, CancellationToken cancellationToken = default);

    /// <summary>Every trial of the study, by number, as immutable snapshots.</summary>
    /// <param name="study">The study's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<IReadOnlyList<FrozenTrial>> GetTrialsAsync(string study, CancellationToken cancellationToken = default);

    /// <summary>
    /// The trials created or changed (configured, reported to, finished, failed as stale) after
    /// version <paramref name="since"/>; heartbeats do not count as changes. Ask from 0 for every
    /// trial, then from the <see cref="TrialChanges.Version"/> of the last answer.
    /// </summary>
    /// <param name="study">The study's name.</param>
    /// <param name="since">The version of the caller's copy; 0 when it has none.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<TrialChanges> GetTrialChangesAsync(string study, long since, CancellationToken cancellationToken = default);

    /// <summary>Sets a study attribute (replacing an earlier value of the key).</summary>
    /// <param name="study">The study's name.</param>
    /// <param name="key">The key.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask SetStudyAttributeAsync(string study, string key, string value, CancellationToken cancellationToken = default);

    /// <summary>
    /// Puts a configuration in the study's queue (Optuna's <c>enqueue_trial</c>): the next trial any
    /// worker creates from the queue gets it. Nothing is queued, and the answer is
    /// <see langword="false"/>, when a trial of the study already has the configuration (in any
    /// state) or it is queued already.
    /// </summary>
    /// <param name="study">The study's name.</param>
    /// <param name="hparams">A value for every active hparam of the study, inside its domain.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">A value is missing, unknown or outside its domain.</exception>
    ValueTask<bool> EnqueueTrialAsync(string study, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates the study's next trial, Running, from the oldest queued configuration, and takes it
    /// off the queue, in one step; a queued configuration that a running, complete or pruned trial
    /// has meanwhile is dropped. <see langword="null"/> when the queue is empty, or the study has
    /// reached <paramref name="limits"/> (the queue is then left as it is).
    /// </summary>
    /// <param name="study">The study's name.</param>
    /// <param name="limits">How many trials the study may have; none when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<FrozenTrial?> CreateTrialFromQueueAsync(string study, TrialLimits? limits = null, CancellationToken cancellationToken = default);

    /// <summary>The study's attributes.</summary>
    /// <param name="study">The study's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    ValueTask<IReadOnlyDictionary<string, string>> GetStudyAttributesAsync(string study, CancellationToken cancellationToken = default);
}
