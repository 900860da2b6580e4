using HParamsNet.Events;
using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// A study storage that is the study's TensorBoard log directory, for one process and no
/// database: a <c>Study</c> writes each trial's session into the directory (as with any
/// storage), and this storage reads the sessions back when the study is loaded again, so a killed
/// run resumes from its files. While open it holds the directory's lock: a second process is
/// refused with a message naming the holder. A trial a crash interrupted comes back failed
/// ("worker lost"; its session moved beside the directory, out of TensorBoard's sight), and the
/// study runs its configuration again. One study per directory, as TensorBoard shows one
/// experiment per log directory.
/// </summary>
public sealed class LogDirectoryStudyStorage : IStudyStorage
{
    private readonly InMemoryStudyStorage _trials;
    private readonly LogDirectoryStore _files;
    private string? _study;

    /// <summary>Creates the storage of the log directory <paramref name="logDir"/> (new, or holding a study).</summary>
    /// <param name="logDir">The study's log directory; give the <c>Study</c> the same one.</param>
    /// <param name="writerOptions">Options of the event files written (the experiment); its clock times the trials.</param>
    public LogDirectoryStudyStorage(string logDir, EventFileWriterOptions? writerOptions = null)
    {
        _files = new LogDirectoryStore(logDir, writerOptions);
        _trials = new InMemoryStudyStorage(writerOptions?.TimeProvider);
    }

    /// <summary>The log directory (full path).</summary>
    public string LogDir => _files.LogDir;

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Another process holds the directory; it holds another study, or runs that are not a study.</exception>
    public async ValueTask CreateOrLoadStudyAsync(StudyDefinition definition, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definition);
        definition.Validate();
        if (_study is not null && _study != definition.Name)
        {
            throw new InvalidOperationException($"Log directory '{LogDir}' holds study '{_study}'; a log directory holds one study (TensorBoard shows one experiment per directory). Give study '{definition.Name}' a directory of its own.");
        }

        if (_study is not null)
        {
            await _trials.CreateOrLoadStudyAsync(definition, cancellationToken).ConfigureAwait(false); // checks the definition
            return;
        }

        StoredStudy stored = _files.Open(definition.Experiment, definition.Objective, folds: null, TrialNames.StudyId(definition.Name));
        await _trials.CreateOrLoadStudyAsync(definition, cancellationToken).ConfigureAwait(false);
        IEnumerable<FrozenTrial> interrupted = stored.Incomplete.Select(i => new FrozenTrial(
            i.Number,
            TrialNames.Trial(i.Number),
            i.HParams?.ToDictionary(p => p.Key.Name, p => p.Value) ?? new Dictionary<string, object>(),
            TrialState.Failed,
            double.NaN,
            [],
            [],
            DateTimeOffset.UnixEpoch,
            DateTimeOffset.UnixEpoch,
            $"{TrialOutcome.WorkerLost}: the process running it ended before it did"));
        foreach (FrozenTrial trial in stored.Trials.Concat(interrupted).OrderBy(t => t.Number))
        {
            _trials.Restore(definition.Name, trial);
        }

        _study = definition.Name;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StudySummary>> GetStudiesAsync(CancellationToken cancellationToken = default) => _trials.GetStudiesAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask<int> CreateTrialAsync(string study, CancellationToken cancellationToken = default) => _trials.CreateTrialAsync(study, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<int?> CreateTrialAsync(string study, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default) => _trials.CreateTrialAsync(study, hparams, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> SetTrialHParamsAsync(string study, int number, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default) => _trials.SetTrialHParamsAsync(study, number, hparams, cancellationToken);

    /// <inheritdoc/>
    public ValueTask ReportAsync(string study, int number, long atStep, double value, CancellationToken cancellationToken = default) => _trials.ReportAsync(study, number, atStep, value, cancellationToken);

    /// <inheritdoc/>
    public ValueTask HeartbeatAsync(string study, int number, CancellationToken cancellationToken = default) => _trials.HeartbeatAsync(study, number, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> FinishTrialAsync(string study, int number, TrialOutcome outcome, CancellationToken cancellationToken = default) => _trials.FinishTrialAsync(study, number, outcome, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<FrozenTrial>> FailStaleTrialsAsync(string study, TimeSpan grace, CancellationToken cancellationToken = default) => _trials.FailStaleTrialsAsync(study, grace, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<FrozenTrial>> GetTrialsAsync(string study, CancellationToken cancellationToken = default) => _trials.GetTrialsAsync(study, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<TrialChanges> GetTrialChangesAsync(string study, long since, CancellationToken cancellationToken = default) => _trials.GetTrialChangesAsync(study, since, cancellationToken);

    /// <inheritdoc/>
    public ValueTask SetStudyAttributeAsync(string study, string key, string value, CancellationToken cancellationToken = default) => _trials.SetStudyAttributeAsync(study, key, value, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<string, string>> GetStudyAttributesAsync(string study, CancellationToken cancellationToken = default) => _trials.GetStudyAttributesAsync(study, cancellationToken);

    /// <summary>Releases the log directory's lock.</summary>
    public ValueTask DisposeAsync()
    {
        _files.Dispose();
        return ValueTask.CompletedTask;
    }
}
