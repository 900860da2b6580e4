using System.Globalization;
using Google.Protobuf;
using HParamsNet.Events;
using HParamsNet.Protos.HParams;
using HParamsNet.Sessions;
using HParamsNet.Summaries;
using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// Keeps a study in its TensorBoard log directory, which is the only record: the hparams config
/// in the root run, one session per trial (per fold with cross-validation) in <c>trial-NNNN</c>
/// runs. Reopening it reads the finished trials back, refuses a different search space, and
/// moves interrupted sessions aside so that TensorBoard shows no dangling or duplicate curves.
/// While open, it holds the directory's lock: a second process is refused, never let in.
/// </summary>
internal sealed class LogDirectoryStore : IDisposable
{
    /// <summary>The text tag in the root run that names the study (its session groups carry the id).</summary>
    public const string StudyTextTag = "tuner/study";

    private const string StudyTextPrefix = "study ";

    // Hex digits of the study id: 32 random bits, so that studies compared side by side never share one.
    private const int StudyIdLength = 8;

    private readonly EventFileWriterOptions? _writerOptions;
    private readonly TimeProvider _time;
    private LogDirectoryLock? _lock;
    private string? _studyId;

    /// <summary>Creates the store.</summary>
    /// <param name="logDir">The study's log directory (TensorBoard's --logdir).</param>
    /// <param name="writerOptions">Options for the event files it writes.</param>
    public LogDirectoryStore(string logDir, EventFileWriterOptions? writerOptions = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDir);
        LogDir = Path.GetFullPath(logDir);
        _writerOptions = writerOptions;
        _time = writerOptions?.TimeProvider ?? TimeProvider.System;
    }

    /// <summary>The log directory.</summary>
    public string LogDir { get; }

    /// <summary>
    /// Where interrupted sessions are moved: beside the log directory, not inside it, because
    /// TensorBoard loads every directory below --logdir.
    /// </summary>
    public string InterruptedDir => LogDir.TrimEnd(Path.DirectorySeparatorChar) + ".interrupted";

    /// <summary>
    /// Opens the study: takes the directory's lock, declares the experiment in a new log directory
    /// (or one whose creation a crash interrupted), or checks it against the one recorded there,
    /// and reads the trials back.
    /// </summary>
    /// <param name="experiment">The study's hparams and metrics.</param>
    /// <param name="objective">The objective, to read trials' values.</param>
    /// <param name="folds">Folds per trial (null without cross-validation).</param>
    /// <param name="studyId">The id of a new study's session groups; random when <see langword="null"/> (a shared study's comes from its name).</param>
    /// <exception cref="InvalidOperationException">Another process holds the directory, or it holds another study, or runs that are not a study; the message names the difference.</exception>
    /// <exception cref="IOException">The directory cannot be created or written; the message says why.</exception>
    public StoredStudy Open(HParamsExperiment experiment, Objective objective, int? folds, string? studyId = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        ArgumentNullException.ThrowIfNull(objective);
        _lock ??= LogDirectoryLock.Acquire(LogDir, _time);
        RemoveStagedLeftovers();
        IReadOnlyList<RunDirectory> runs = LogDirectory.FindRuns(LogDir);
        if (runs.Count == 0)
        {
            return Create(experiment, movedAside: [], studyId);
        }

        Experiment? recorded = HParamsLogReader.ReadStoredExperiment(LogDir);
        if (recorded is null)
        {
            // Only a crash of an earlier version (or a writer opened and closed with nothing in it)
            // leaves event files that hold nothing but their header: finish that creation.
            if (runs.All(r => r.Name == ".") && !RootHasSummaries())
            {
                return Create(experiment, movedAside: [MoveRootFilesAside()], studyId);
            }

            throw new InvalidOperationException($"'{LogDir}' already holds TensorBoard runs (e.g. '{runs[0].Name}') but no hparams config, so it is not a study of this tuner. Choose a new or empty log directory; nothing in it was changed.");
        }

        string? difference = ExperimentDifference.Describe(recorded, experiment.ToProto(0));
        if (difference is not null)
        {
            throw new InvalidOperationException($"'{LogDir}' holds a study with a different search space or metrics: {difference}. Resume it with the same hparams and metrics, or use a new log directory; nothing in it was changed.");
        }

        _studyId = ReadStudyId();
        return ReadTrials(experiment, objective, folds);
    }

    /// <summary>Releases the log directory's lock.</summary>
    public void Dispose()
    {
        _lock?.Dispose();
        _lock = null;
    }

    // The experiment appears at once or not at all: written under a name TensorBoard ignores, on
    // disk, then renamed. A study killed during its creation is created again on the next run.
    private StoredStudy Create(HParamsExperiment experiment, IReadOnlyList<string> movedAside, string? studyId)
    {
        _studyId = studyId ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(StudyIdLength / 2));
        PublishExperiment(LogDir, experiment, _studyId, _writerOptions);
        return new StoredStudy([], []) { MovedAside = movedAside };
    }

    /// <summary>
    /// Writes a study's root run at once or not at all (staged, then renamed): the experiment and
    /// the text that names the study id its session groups carry (<see cref="TrialNames.Group"/>).
    /// </summary>
    internal static void PublishExperiment(string logDir, HParamsExperiment experiment, string studyId, EventFileWriterOptions? writerOptions) =>
        PublishExperiment(logDir, HParamsSummaries.Experiment(experiment, (writerOptions?.TimeProvider ?? TimeProvider.System).GetUtcNow()), studyId, writerOptions);

    /// <inheritdoc cref="PublishExperiment(string, HParamsExperiment, string, EventFileWriterOptions?)"/>
    internal static void PublishExperiment(string logDir, Protos.Summary experiment, string studyId, EventFileWriterOptions? writerOptions)
    {
        using SummaryWriter root = SummaryWriter.CreateStaged(logDir, writerOptions);
        root.WriteSummary(experiment, 0);
        root.WriteSummary(TextSummaries.Text(StudyTextTag, $"{StudyTextPrefix}{studyId}: session groups are named trial-NNNN@{studyId}, so that studies below one TensorBoard log directory never share a group."), 0);
        root.Publish();
    }

    // The root run's event files, moved (never deleted) beside the log directory.
    private string MoveRootFilesAside()
    {
        string stamp = _time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string target = Path.Combine(InterruptedDir, $"root.{stamp}");
        for (int i = 1; Directory.Exists(target); i++)
        {
            target = Path.Combine(InterruptedDir, $"root.{stamp}.{i}");
        }

        Directory.CreateDirectory(target);
        foreach (string file in EventFileNames.ListEventFiles(LogDir))
        {
            File.Move(file, Path.Combine(target, Path.GetFileName(file)), overwrite: false);
        }

        return target;
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

    // The id written when the study was created; null for studies of earlier versions, whose
    // groups keep their plain trial names so that one study stays consistent.
    private string? ReadStudyId()
    {
        var options = new EventFileReaderOptions { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile };
        foreach (Protos.Event evt in EventFileReader.ReadRunEvents(LogDir, options))
        {
            foreach (Protos.Summary.Types.Value value in evt.Summary?.Value ?? [])
            {
                if (value.Tag == StudyTextTag && value.Tensor?.StringVal.Count > 0)
                {
                    string text = value.Tensor.StringVal[0].ToStringUtf8();
                    return text.StartsWith(StudyTextPrefix, StringComparison.Ordinal) && text.Length >= StudyTextPrefix.Length + StudyIdLength
                        ? text.Substring(StudyTextPrefix.Length, StudyIdLength)
                        : null;
                }
            }
        }

        return null;
    }

    /// <summary>Starts the record of one session of a trial.</summary>
    internal TrialSession BeginSession(int number, int? fold, IReadOnlyDictionary<HParam, object> hparams, bool syncToDisk) =>
        new(LogDir, TrialNames.Session(number, fold), hparams, TrialNames.Group(number, _studyId), _writerOptions, syncToDisk);

    /// <summary>Moves a session's run directory (and its sub-runs) out of the log directory.</summary>
    internal string MoveAside(string runName)
    {
        string source = Path.Combine(LogDir, runName);
        string stamp = _time.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        string target = Path.Combine(InterruptedDir, $"{runName.Replace('/', '_')}.{stamp}");
        for (int i = 1; Directory.Exists(target); i++)
        {
            target = Path.Combine(InterruptedDir, $"{runName.Replace('/', '_')}.{stamp}.{i}");
        }

        Directory.CreateDirectory(InterruptedDir);
        Directory.Move(source, target);
        return target;
    }

    private StoredStudy ReadTrials(HParamsExperiment experiment, Objective objective, int? folds)
    {
        var sessions = HParamsLogReader.ReadSessions(LogDir).ToDictionary(s => s.Name, StringComparer.Ordinal);
        var finished = new List<(int Number, int? Fold, SessionRecord Session)>();
        var interrupted = new SortedDictionary<int, IReadOnlyDictionary<string, object>?>();
        var movedAside = new List<string>();
        foreach (RunDirectory run in LogDirectory.FindRuns(LogDir).Where(r => r.Name != "."))
        {
            if (!TrialNames.TryParse(run.Name, out int number, out int? fold, out bool isSubRun) || (fold is null) != (folds is null))
            {
                throw new InvalidOperationException($"'{LogDir}' holds run '{run.Name}', which is not a trial of this study ({(folds is null ? "trial-NNNN" : "trial-NNNN/fold-KK")}). Move it out of the log directory, or use a new one.");
            }

            if (isSubRun)
            {
                continue; // a metric group's run: it stays, or moves, with its session
            }

            if (sessions.TryGetValue(run.Name, out SessionRecord? session) && session.HasEnd)
            {
                finished.Add((number, fold, session));
                continue;
            }

            // Started, never ended: the process died. Keep what it knew, then take it out of TensorBoard's sight.
            if (!interrupted.TryGetValue(number, out IReadOnlyDictionary<string, object>? known) || known is null)
            {
                interrupted[number] = session?.HParams;
            }

            movedAside.Add(MoveAside(run.Name));
        }

        var trials = new List<FrozenTrial>();
        var incomplete = new List<IncompleteTrial>();
        foreach (IGrouping<int, (int Number, int? Fold, SessionRecord Session)> trial in finished.GroupBy(f => f.Number).OrderBy(g => g.Key))
        {
            var done = trial.ToList();
            var missing = folds is int k ? Enumerable.Range(0, k).Where(f => done.All(d => d.Fold != f)).ToList() : [];
            // A failed or pruned fold ends its trial: the folds after it never run, now or on resume.
            if (missing.Count > 0 && done.All(d => StateOf(d.Session) == TrialState.Complete))
            {
                incomplete.Add(new IncompleteTrial(trial.Key, experiment.Resolve(done[0].Session.HParams), missing, done.Select(d => d.Session).ToList()));
            }
            else
            {
                trials.Add(Freeze(trial.Key, [.. done.OrderBy(d => d.Fold).Select(d => d.Session)], objective, folds is not null));
            }

            interrupted.Remove(trial.Key);
        }

        foreach ((int number, IReadOnlyDictionary<string, object>? hparams) in interrupted)
        {
            var all = folds is int k ? Enumerable.Range(0, k).ToList() : [];
            incomplete.Add(new IncompleteTrial(number, hparams is null ? null : experiment.Resolve(hparams), all, []));
        }

        return new StoredStudy(trials, [.. incomplete.OrderBy(i => i.Number)]) { MovedAside = movedAside };
    }

    /// <summary>The frozen record of a trial from its finished sessions (one, or one per fold).</summary>
    internal static FrozenTrial Freeze(int number, IReadOnlyList<SessionRecord> sessions, Objective objective, bool crossValidated)
    {
        Metric metric = objective.Metric;
        var states = sessions.Select(StateOf).ToList();
        TrialState state = states.Contains(TrialState.Failed) ? TrialState.Failed
            : states.Contains(TrialState.Pruned) ? TrialState.Pruned
            : TrialState.Complete;
        var values = sessions.Select(s => s.Last(metric.Group, metric.Tag)?.Value ?? double.NaN).ToList();
        double value = state == TrialState.Complete ? values.Average() : double.NaN;
        SessionRecord last = sessions[^1];
        var intermediate = (last.Scalars.TryGetValue((metric.Group, metric.Tag), out IReadOnlyList<ScalarPoint>? points) ? points : [])
            .Select(p => KeyValuePair.Create(p.Step, p.Value)).ToList();
        if (state == TrialState.Complete && intermediate.Count > 0)
        {
            intermediate.RemoveAt(intermediate.Count - 1); // the final value, written after the reports
        }

        string? error = sessions.Select(s => s.Texts.GetValueOrDefault(TrialSession.StatusTextTag)).FirstOrDefault(t => t is not null && t.StartsWith("failed", StringComparison.Ordinal));
        return new FrozenTrial(
            number,
            TrialNames.Trial(number),
            sessions[0].HParams,
            state,
            value,
            intermediate,
            crossValidated ? values : [],
            FromUnix(sessions.Min(s => s.StartTime)),
            FromUnix(sessions.Max(s => s.EndTime)),
            error);
    }

    private static TrialState StateOf(SessionRecord session) => session.Status switch
    {
        SessionStatus.Success => TrialState.Complete,
        SessionStatus.Failure => TrialState.Failed,
        _ when session.IsPruned => TrialState.Pruned,
        _ => TrialState.Failed,
    };

    private static DateTimeOffset FromUnix(double seconds) =>
        UnixTime.FromSecondsOrEpoch(seconds);
}

/// <summary>What a log directory held when a study was opened.</summary>
/// <param name="Trials">Finished trials, by number.</param>
/// <param name="Incomplete">Trials a crash interrupted, to run again first.</param>
internal sealed record StoredStudy(IReadOnlyList<FrozenTrial> Trials, IReadOnlyList<IncompleteTrial> Incomplete)
{
    /// <summary>Where interrupted sessions were moved.</summary>
    public IReadOnlyList<string> MovedAside { get; init; } = [];
}

/// <summary>A trial that a crash interrupted: to be run again under the same number.</summary>
/// <param name="Number">The trial's number.</param>
/// <param name="HParams">Its configuration, or <see langword="null"/> when it died before writing it (a new proposal is made for the number).</param>
/// <param name="MissingFolds">With cross-validation, the folds still to run; empty without.</param>
/// <param name="FinishedFolds">With cross-validation, sessions of the folds that finished (kept, not run again).</param>
internal sealed record IncompleteTrial(int Number, IReadOnlyDictionary<HParam, object>? HParams, IReadOnlyList<int> MissingFolds, IReadOnlyList<SessionRecord> FinishedFolds);
