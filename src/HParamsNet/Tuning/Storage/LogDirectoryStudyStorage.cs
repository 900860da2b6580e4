using System.Globalization;
using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.Summaries;
using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// A study kept in its TensorBoard log directory, for one process and no database: what a
/// <see cref="Tuner"/> uses when it is given no storage. The study writes each trial's sessions
/// into the directory (as with any storage), and this storage reads them back when the study is
/// loaded again, so a killed run resumes from its files: a trial its process left unfinished
/// comes back as lost ("worker lost"), keeps its sessions (each given an end) and its finished
/// folds, and the study runs its configuration again. While open it holds the directory's lock:
/// a second process is refused with a message naming the holder. One study per directory, as
/// TensorBoard shows one experiment per log directory.
/// </summary>
public sealed class LogDirectoryStudyStorage : IStudyStorage
{
    private readonly InMemoryStudyStorage _trials;
    private readonly EventFileWriterOptions? _writerOptions;
    private readonly TimeProvider _time;
    private readonly List<int> _interrupted = [];
    private readonly Lock _gate = new();
    private LogDirectoryLock? _lock;
    private string? _study;

    /// <summary>Creates the storage of the log directory <paramref name="logDir"/> (new, or holding a study).</summary>
    /// <param name="logDir">The study's log directory; give the <c>Study</c> the same one.</param>
    /// <param name="writerOptions">Options of the event files written (the experiment); its clock times the trials.</param>
    public LogDirectoryStudyStorage(string logDir, EventFileWriterOptions? writerOptions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDir);
        LogDir = Path.GetFullPath(logDir);
        _writerOptions = writerOptions;
        _time = writerOptions?.TimeProvider ?? TimeProvider.System;
        _trials = new InMemoryStudyStorage(writerOptions?.TimeProvider);
    }

    /// <summary>The log directory (full path).</summary>
    public string LogDir { get; }

    /// <summary>
    /// Where runs that hold nothing TensorBoard can show (no session start: a process killed during
    /// its first write) are moved: beside the log directory, since TensorBoard loads every
    /// directory below it.
    /// </summary>
    public string SetAsideDir => LogDir.TrimEnd(Path.DirectorySeparatorChar) + ".interrupted";

    /// <summary>The id of the study's session groups, once the study is loaded; <see langword="null"/> for a study of a version that wrote plain trial names.</summary>
    internal string? StudyId { get; private set; }

    /// <summary>How many trials the directory held when the study was loaded, finished and interrupted.</summary>
    internal (int Finished, int Interrupted) Loaded { get; private set; }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">Another process holds the directory; it holds another study, or runs that are not a study.</exception>
    /// <exception cref="IOException">The directory cannot be created or written; the message says why.</exception>
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

        _lock ??= LogDirectoryLock.Acquire(LogDir, _time);
        RemoveStagedLeftovers();
        IReadOnlyList<FrozenTrial> trials = Open(definition);
        await _trials.CreateOrLoadStudyAsync(definition, cancellationToken).ConfigureAwait(false);
        foreach (FrozenTrial trial in trials)
        {
            _trials.Restore(definition.Name, trial);
        }

        _interrupted.AddRange(trials.Where(t => !t.IsFinished).Select(t => t.Number));
        Loaded = (trials.Count(t => t.IsFinished), _interrupted.Count);
        _study = definition.Name;
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StudySummary>> GetStudiesAsync(CancellationToken cancellationToken = default) => _trials.GetStudiesAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask<int> CreateTrialAsync(string study, CancellationToken cancellationToken = default) => _trials.CreateTrialAsync(study, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<int?> CreateTrialAsync(string study, IReadOnlyDictionary<string, object> hparams, TrialLimits? limits = null, CancellationToken cancellationToken = default) => _trials.CreateTrialAsync(study, hparams, limits, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> SetTrialHParamsAsync(string study, int number, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default) => _trials.SetTrialHParamsAsync(study, number, hparams, cancellationToken);

    /// <inheritdoc/>
    public ValueTask ReportAsync(string study, int number, TrialReport report, CancellationToken cancellationToken = default) => _trials.ReportAsync(study, number, report, cancellationToken);

    /// <inheritdoc/>
    public ValueTask HeartbeatAsync(string study, int number, CancellationToken cancellationToken = default) => _trials.HeartbeatAsync(study, number, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> FinishTrialAsync(string study, int number, TrialOutcome outcome, CancellationToken cancellationToken = default) => _trials.FinishTrialAsync(study, number, outcome, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>The trials the directory held unfinished when it was loaded are lost at once: this process holds the directory, so none of them has a worker.</remarks>
    public async ValueTask<IReadOnlyList<FrozenTrial>> FailStaleTrialsAsync(string study, TimeSpan grace, CancellationToken cancellationToken = default)
    {
        int[] interrupted;
        lock (_gate)
        {
            interrupted = [.. _interrupted];
            _interrupted.Clear();
        }

        var failed = new HashSet<int>();
        foreach (int number in interrupted)
        {
            if (await _trials.FinishTrialAsync(study, number, TrialOutcome.Failed($"{TrialErrors.WorkerLost}: the process running it ended before it did"), cancellationToken).ConfigureAwait(false))
            {
                failed.Add(number);
            }
        }

        IReadOnlyList<FrozenTrial> stale = await _trials.FailStaleTrialsAsync(study, grace, cancellationToken).ConfigureAwait(false);
        return failed.Count == 0
            ? stale
            : [.. (await _trials.GetTrialsAsync(study, cancellationToken).ConfigureAwait(false)).Where(t => failed.Contains(t.Number)), .. stale];
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<FrozenTrial>> GetTrialsAsync(string study, CancellationToken cancellationToken = default) => _trials.GetTrialsAsync(study, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<TrialChanges> GetTrialChangesAsync(string study, long since, CancellationToken cancellationToken = default) => _trials.GetTrialChangesAsync(study, since, cancellationToken);

    /// <inheritdoc/>
    public ValueTask SetStudyAttributeAsync(string study, string key, string value, CancellationToken cancellationToken = default) => _trials.SetStudyAttributeAsync(study, key, value, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<string, string>> GetStudyAttributesAsync(string study, CancellationToken cancellationToken = default) => _trials.GetStudyAttributesAsync(study, cancellationToken);

    /// <inheritdoc/>
    /// <remarks>The queue lives as long as this object: a script that enqueues before it runs the study enqueues again when it runs again (configurations tried already are not queued twice).</remarks>
    public ValueTask<bool> EnqueueTrialAsync(string study, IReadOnlyDictionary<string, object> hparams, CancellationToken cancellationToken = default) => _trials.EnqueueTrialAsync(study, hparams, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<FrozenTrial?> CreateTrialFromQueueAsync(string study, TrialLimits? limits = null, CancellationToken cancellationToken = default) => _trials.CreateTrialFromQueueAsync(study, limits, cancellationToken);

    /// <summary>Releases the log directory's lock.</summary>
    public ValueTask DisposeAsync()
    {
        _lock?.Dispose();
        _lock = null;
        return ValueTask.CompletedTask;
    }

    // Declares the experiment in a new directory (or one whose creation a crash interrupted), or
    // checks the one recorded there, and reads the trials back.
    private IReadOnlyList<FrozenTrial> Open(StudyDefinition definition)
    {
        IReadOnlyList<RunDirectory> runs = LogDirectory.FindRuns(LogDir);
        if (runs.Count == 0)
        {
            Create(definition);
            return [];
        }

        Protos.HParams.Experiment? recorded = HParamsLogReader.ReadStoredExperiment(LogDir);
        if (recorded is null)
        {
            // Only a crash of an earlier version (or a writer opened and closed with nothing in it)
            // leaves event files that hold nothing but their header: finish that creation.
            if (runs.All(r => r.Name == ".") && !RootHasSummaries())
            {
                MoveRootFilesAside();
                Create(definition);
                return [];
            }

            throw new InvalidOperationException($"'{LogDir}' already holds TensorBoard runs (e.g. '{runs[0].Name}') but no hparams config, so it is not a study of this tuner. Choose a new or empty log directory; nothing in it was changed.");
        }

        StudyRecord? record = StudyTensorBoard.ReadRecord(LogDir);
        string? difference = ExperimentDifference.Describe(recorded, definition.Experiment.ToProto(0))
            ?? (record is null ? null : definition.DifferenceFrom(StudyDefinition.FromRecord(record)));
        if (difference is not null)
        {
            throw new InvalidOperationException($"'{LogDir}' holds a study with a different search space or metrics: {difference}. Resume it with the same hparams, metrics and folds, or use a new log directory; nothing in it was changed.");
        }

        StudyId = StudyTensorBoard.ReadStudyId(LogDir);
        return LogDirectoryTrials.Read(LogDir, definition, run => MoveAside(run));
    }

    // The experiment appears at once or not at all: written under a name TensorBoard ignores, on
    // disk, then renamed. A study killed during its creation is created again on the next run.
    private void Create(StudyDefinition definition)
    {
        StudyId = StudyTensorBoard.NewStudyId();
        StudyTensorBoard.PublishExperiment(LogDir, definition.ToRecord(), HParamsSummaries.Experiment(definition.Experiment, _time.GetUtcNow()), StudyId, _writerOptions);
    }

    private void RemoveStagedLeftovers()
    {
        foreach (string staged in Directory.EnumerateFiles(LogDir, EventFileWriter.StagingPrefix + "*"))
        {
            File.Delete(staged); // a creation that died before publishing; never visible to TensorBoard
        }
    }

    private bool RootHasSummaries()
    {
        var options = new EventFileReaderOptions { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile };
        return EventFileReader.ReadRunEvents(LogDir, options).Any(e => e.Summary is not null || e.WhatCase != Protos.Event.WhatOneofCase.FileVersion);
    }

    // The root run's event files, moved (never deleted) beside the log directory.
    private void MoveRootFilesAside()
    {
        string target = FreeTarget("root");
        Directory.CreateDirectory(target);
        foreach (string file in EventFileNames.ListEventFiles(LogDir))
        {
            File.Move(file, Path.Combine(target, Path.GetFileName(file)), overwrite: false);
        }
    }

    // A run's directory (and its sub-runs), moved out of the log directory.
    private void MoveAside(string runName)
    {
        string target = FreeTarget(runName.Replace('/', '_'));
        Directory.CreateDirectory(SetAsideDir);
        Directory.Move(Path.Combine(LogDir, runName), target);
    }

    private string FreeTarget(string name)
    {
        string stamp = _time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string target = Path.Combine(SetAsideDir, $"{name}.{stamp}");
        for (int i = 1; Directory.Exists(target); i++)
        {
            target = Path.Combine(SetAsideDir, $"{name}.{stamp}.{i}");
        }

        return target;
    }
}
