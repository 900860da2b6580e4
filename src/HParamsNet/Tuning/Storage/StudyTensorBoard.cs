using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Sessions;
using HParamsNet.Summaries;
using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// The TensorBoard side of a study, whatever its storage: the experiment and the study's record
/// in the root run, a session per trial (per fold with cross-validation), and the upkeep no
/// worker may leave undone: an end for every session of a lost trial, the ends a killed worker
/// did not write, and the finished folds of a lost trial carried into the trial that runs its
/// configuration again. Several workers may share the directory: what they write together is
/// written under its lock.
/// </summary>
internal sealed class StudyTensorBoard
{
    /// <summary>The text tag in the root run that names the study's id (its session groups carry it).</summary>
    public const string StudyTextTag = "tuner/study";

    /// <summary>The text tag a carried fold's session says where it comes from under.</summary>
    public const string CarriedTextTag = "tuner/carried_over";

    private const string StudyTextPrefix = "study ";

    // Hex digits of a study id.
    private const int StudyIdLength = 8;

    private static readonly EventFileReaderOptions Lenient = new() { OnCorruptRecord = CorruptRecordHandling.SkipRestOfFile };

    private readonly StudyDefinition _definition;
    private readonly EventFileWriterOptions? _options;
    private readonly TimeProvider _time;
    private readonly bool _holdsLock;

    private StudyTensorBoard(string logDir, string? groupId, StudyDefinition definition, EventFileWriterOptions? options, TimeProvider time, bool holdsLock)
    {
        LogDir = logDir;
        GroupId = groupId;
        _definition = definition;
        _options = options;
        _time = time;
        _holdsLock = holdsLock;
    }

    /// <summary>The log directory (full path).</summary>
    public string LogDir { get; }

    /// <summary>The id the session groups carry (<c>trial-NNNN@id</c>); <see langword="null"/> for a study of a version that wrote plain trial names.</summary>
    public string? GroupId { get; }

    /// <summary>
    /// Opens the study's log directory: with a shared storage, writes the experiment and the study's
    /// record the first time (under the directory's lock), or checks them against this study's;
    /// a log-directory storage has done that already, and holds the lock.
    /// </summary>
    /// <exception cref="InvalidOperationException">The directory holds another study; the message names the difference.</exception>
    public static async Task<StudyTensorBoard> OpenAsync(string logDir, StudyDefinition definition, LogDirectoryStudyStorage? files, EventFileWriterOptions? options, TimeProvider time, CancellationToken cancellationToken)
    {
        if (files is not null)
        {
            return new StudyTensorBoard(logDir, files.StudyId, definition, options, time, holdsLock: true);
        }

        using IDisposable held = await AcquireAsync(logDir, time, cancellationToken).ConfigureAwait(false);
        Protos.HParams.Experiment? recorded = LogDirectory.FindRuns(logDir).Count == 0 ? null : HParamsLogReader.ReadStoredExperiment(logDir);
        if (recorded is null)
        {
            // Every worker derives the same id from the study's name: machines that do not share a
            // directory write the same groups without agreeing on anything else.
            string id = TrialNames.StudyId(definition.Name);
            PublishExperiment(logDir, definition.ToRecord(), HParamsSummaries.Experiment(definition.Experiment, time.GetUtcNow()), id, options);
            return new StudyTensorBoard(logDir, id, definition, options, time, holdsLock: false);
        }

        if (ExperimentDifference.Describe(recorded, definition.Experiment.ToProto(0)) is string difference)
        {
            throw new InvalidOperationException($"'{logDir}' holds another study's experiment: {difference}. Give study '{definition.Name}' its own log directory; nothing was changed.");
        }

        if (ReadRecord(logDir) is { } record && record.Name != definition.Name)
        {
            throw new InvalidOperationException($"'{logDir}' holds study '{record.Name}'; a log directory holds one study (TensorBoard shows one experiment per directory). Give study '{definition.Name}' its own log directory; nothing was changed.");
        }

        return new StudyTensorBoard(logDir, ReadStudyId(logDir) ?? TrialNames.StudyId(definition.Name), definition, options, time, holdsLock: false);
    }

    /// <summary>Starts the record of one session of a trial (one fold, or the trial).</summary>
    /// <exception cref="StudyRecordException">The session's files cannot be written.</exception>
    public TrialSession BeginSession(int number, int? fold, IReadOnlyDictionary<HParam, object> hparams, bool syncToDisk) =>
        new(LogDir, TrialNames.Session(number, fold), hparams, TrialNames.Group(number, GroupId), _options, syncToDisk);

    /// <summary>
    /// Gives every session of a lost trial an end, so that TensorBoard shows none running for ever:
    /// FAILURE and why for the session it died in, SUCCESS for a fold that had finished but whose
    /// end its worker had not written. A worker killed before its session's first write left none:
    /// that session is written whole, from the storage's record.
    /// </summary>
    public void EndLost(FrozenTrial lost, IReadOnlyDictionary<HParam, object> hparams)
    {
        var failed = new SessionEnd(SessionStatus.Failure, TrialSession.FailedText(lost.Error ?? TrialErrors.WorkerLost), null, 0);

        // A trial lost before it had a configuration has nothing a session could show.
        (IReadOnlyDictionary<HParam, object>, string)? start = hparams.Count == 0 && _definition.Experiment.HParams.Count > 0 ? null : (hparams, TrialNames.Group(lost.Number, GroupId));
        if (_definition.Folds is not int folds)
        {
            EndAfterwards(lost.Name, failed, start);
            return;
        }

        for (int fold = 0; fold < folds; fold++)
        {
            string run = TrialNames.Session(lost.Number, fold);
            if (fold < lost.FoldValues.Count)
            {
                EndAfterwards(run, CompleteEnd(lost.FoldValues[fold], lost.IntermediateValuesOf(fold)), missingStart: null);
            }
            else
            {
                // The fold it died in gets a whole session if it has none; folds after it never started.
                EndAfterwards(run, failed, fold == lost.FoldValues.Count ? start : null);
            }
        }
    }

    /// <summary>
    /// Writes the ends a finished trial's sessions lack (its worker died between the storage's record
    /// and the files'), from what the storage holds; whether it wrote one.
    /// </summary>
    public bool EndFinished(FrozenTrial trial)
    {
        if (!trial.IsFinished)
        {
            return false;
        }

        SessionEnd end = trial.State switch
        {
            TrialState.Complete => CompleteEnd(trial.Value, trial.IntermediateValues),
            TrialState.Pruned => new SessionEnd(SessionStatus.Unknown, TrialSession.PrunedText(trial.IntermediateValues), null, 0),
            _ => new SessionEnd(SessionStatus.Failure, TrialSession.FailedText(trial.Error ?? "unknown error"), null, 0),
        };
        if (_definition.Folds is not int folds)
        {
            return EndAfterwards(trial.Name, end, missingStart: null);
        }

        bool wrote = false;
        for (int fold = 0; fold < folds; fold++)
        {
            wrote |= EndAfterwards(TrialNames.Session(trial.Number, fold), fold < trial.FoldValues.Count ? CompleteEnd(trial.FoldValues[fold], trial.IntermediateValuesOf(fold)) : end, missingStart: null);
        }

        return wrote;
    }

    /// <summary>
    /// Puts fold <paramref name="fold"/> of lost trial <paramref name="from"/>, which finished, into
    /// trial <paramref name="number"/> that runs its configuration again, so that its group shows
    /// every fold without the fold being trained again: a copy of the fold's session (its curves
    /// and sub-runs), regrouped, when this directory has it; otherwise a session written from the
    /// storage's record (the objective's curve and value). Either says where it comes from.
    /// </summary>
    public void CarryFold(FrozenTrial from, int fold, int number, IReadOnlyDictionary<HParam, object> hparams)
    {
        string target = Path.Combine(LogDir, TrialNames.Session(number, fold));
        if (Directory.Exists(target))
        {
            return; // carried already, by an attempt that died after it
        }

        string source = Path.Combine(LogDir, TrialNames.Session(from.Number, fold));
        string group = TrialNames.Group(number, GroupId);
        string note = $"fold {fold} of {from.Name}, whose worker was lost after the fold finished; not trained again";
        if (Inspect(source) is { Ended: true, Status: SessionStatus.Success })
        {
            CopySession(source, target, group, note);
            return;
        }

        Metric metric = _definition.Objective.Metric;
        double value = from.FoldValues[fold];
        IReadOnlyList<KeyValuePair<long, double>> curve = from.IntermediateValuesOf(fold);
        using (SummaryWriter values = SummaryWriter.Create(metric.Group.Length == 0 ? target : Path.Combine(target, metric.Group), _options))
        {
            foreach ((long step, double reported) in curve)
            {
                values.Scalar(metric.Tag, reported, step);
            }

            values.Scalar(metric.Tag, value, curve.Count > 0 ? curve[^1].Key + 1 : 1);
        }

        using SummaryWriter writer = SummaryWriter.Create(target, _options);
        writer.HParams(hparams, group, from.Started);
        writer.WriteSummary(TextSummaries.Text(CarriedTextTag, note), 0);
        writer.WriteSummary(TextSummaries.Text(TrialSession.StatusTextTag, TrialSession.CompleteText(metric, value)), 0);
        writer.SessionEnd(SessionStatus.Success);
    }

    /// <summary>Takes the directory's lock for work several workers must not do at once; nothing to take when this process holds it for good.</summary>
    public async Task<IDisposable?> LockAsync(CancellationToken cancellationToken) =>
        _holdsLock ? null : await AcquireAsync(LogDir, _time, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Writes a study's root run at once or not at all (staged, then renamed): the experiment, the
    /// study's record, and the text that names the study id its session groups carry.
    /// </summary>
    internal static void PublishExperiment(string logDir, StudyRecord record, Summary experiment, string studyId, EventFileWriterOptions? writerOptions)
    {
        using SummaryWriter root = SummaryWriter.CreateStaged(logDir, writerOptions);
        root.WriteSummary(experiment, 0);
        root.WriteSummary(TextSummaries.Text(StudyTextTag, $"{StudyTextPrefix}{studyId}: session groups are named trial-NNNN@{studyId}, so that studies below one TensorBoard log directory never share a group."), 0);
        root.WriteSummary(TextSummaries.Text(StudyRecord.TextTag, record.ToJson()), 0);
        root.Publish();
    }

    /// <summary>A new random study id: 32 bits, so that studies compared side by side never share one.</summary>
    internal static string NewStudyId() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(StudyIdLength / 2));

    /// <summary>
    /// The id written when the study was created; <see langword="null"/> for studies of earlier
    /// versions, whose groups keep their plain trial names so that one study stays consistent.
    /// </summary>
    internal static string? ReadStudyId(string logDir)
    {
        string? text = HParamsLogReader.RootText(logDir, StudyTextTag);
        return text is not null && text.StartsWith(StudyTextPrefix, StringComparison.Ordinal) && text.Length >= StudyTextPrefix.Length + StudyIdLength
            ? text.Substring(StudyTextPrefix.Length, StudyIdLength)
            : null;
    }

    /// <summary>The study's record in the root run; a damaged one counts as none (the experiment is checked anyway).</summary>
    internal static StudyRecord? ReadRecord(string logDir)
    {
        try
        {
            return HParamsLogReader.ReadStudyRecord(logDir);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // A complete session's end: its final value goes after its reports, so that TensorBoard shows it as the last.
    private SessionEnd CompleteEnd(double value, IReadOnlyList<KeyValuePair<long, double>> reported) =>
        new(SessionStatus.Success, TrialSession.CompleteText(_definition.Objective.Metric, value), (_definition.Objective.Metric, value), reported.Count > 0 ? reported[^1].Key + 1 : 1);

    // Another worker creating the experiment holds the lock for milliseconds.
    private static async Task<IDisposable> AcquireAsync(string logDir, TimeProvider time, CancellationToken cancellationToken)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                return LogDirectoryLock.Acquire(logDir, time);
            }
            catch (InvalidOperationException) when (attempt < 100)
            {
                await Task.Delay(50, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Writes an end into a run that has a start and no end. missingStart: the start to write when the
    // run has none (a worker killed before its first write); without it, such a run is left alone.
    private bool EndAfterwards(string runName, SessionEnd end, (IReadOnlyDictionary<HParam, object> HParams, string Group)? missingStart)
    {
        string run = Path.Combine(LogDir, runName);
        (bool started, bool ended, _) = Inspect(run);
        if (ended)
        {
            return false;
        }

        if (!started)
        {
            if (missingStart is not { } start)
            {
                return false;
            }

            using SummaryWriter whole = SummaryWriter.Create(run, _options);
            whole.HParams(start.HParams, start.Group);
            whole.WriteSummary(TextSummaries.Text(TrialSession.StatusTextTag, end.Text), 0);
            whole.SessionEnd(end.Status);
            return true;
        }

        // In files of their own: the session's first file may be another process's, still open or cut short.
        if (end.Final is ((Metric metric, double finalValue)))
        {
            using SummaryWriter values = SummaryWriter.Create(metric.Group.Length == 0 ? run : Path.Combine(run, metric.Group), _options);
            values.Scalar(metric.Tag, finalValue, end.FinalStep);
        }

        using SummaryWriter writer = SummaryWriter.Create(run, _options);
        writer.WriteSummary(TextSummaries.Text(TrialSession.StatusTextTag, end.Text), 0);
        writer.SessionEnd(end.Status);
        return true;
    }

    // Whether a run has a session start and an end, and the end's status.
    private static (bool Started, bool Ended, SessionStatus Status) Inspect(string run)
    {
        if (!Directory.Exists(run))
        {
            return (false, false, SessionStatus.Unknown);
        }

        bool started = false;
        foreach (Event evt in EventFileReader.ReadRunEvents(run, Lenient))
        {
            foreach (Summary.Types.Value value in evt.Summary?.Value ?? [])
            {
                if (HParamsSummaries.TryDecode(value, out Protos.HParams.HParamsPluginData? data, out _) && data is not null)
                {
                    started |= data.SessionStartInfo is not null;
                    if (data.SessionEndInfo is not null)
                    {
                        return (started, true, (SessionStatus)data.SessionEndInfo.Status);
                    }
                }
            }
        }

        return (started, false, SessionStatus.Unknown);
    }

    // Copies a session's run and sub-runs event by event, its start put in another group; the
    // copy's own files, never the source's, so the lost trial's group keeps its sessions.
    private void CopySession(string source, string target, string group, string note)
    {
        foreach (string directory in Directory.EnumerateDirectories(source, "*", SearchOption.AllDirectories).Prepend(source))
        {
            IReadOnlyList<string> files = EventFileNames.ListEventFiles(directory);
            bool isSessionRun = directory == source;
            if (files.Count == 0 && !isSessionRun)
            {
                continue;
            }

            using EventFileWriter writer = EventFileWriter.Create(Path.Combine(target, Path.GetRelativePath(source, directory)), _options);
            foreach (Event evt in files.SelectMany(file => EventFileReader.ReadEvents(file, Lenient)))
            {
                if (evt.WhatCase == Event.WhatOneofCase.FileVersion)
                {
                    continue; // the copy's file has its own
                }

                writer.WriteEvent(Regrouped(evt, group));
            }

            if (isSessionRun)
            {
                writer.WriteSummary(TextSummaries.Text(CarriedTextTag, note), 0);
            }
        }
    }

    private static Event Regrouped(Event evt, string group)
    {
        Summary.Types.Value? start = evt.Summary?.Value.FirstOrDefault(v => v.Tag == HParamsSummaries.SessionStartInfoTag);
        if (start is null || !HParamsSummaries.TryDecode(start, out Protos.HParams.HParamsPluginData? data, out _) || data?.SessionStartInfo is null)
        {
            return evt;
        }

        data.SessionStartInfo.GroupName = group;
        Event copy = evt.Clone();
        Summary.Types.Value value = copy.Summary.Value.First(v => v.Tag == HParamsSummaries.SessionStartInfoTag);
        value.Metadata.PluginData.Content = Google.Protobuf.MessageExtensions.ToByteString(data);
        return copy;
    }

    private sealed record SessionEnd(SessionStatus Status, string Text, (Metric Metric, double Value)? Final, long FinalStep);
}
