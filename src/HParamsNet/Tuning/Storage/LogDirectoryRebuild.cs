using HParamsNet.Events;
using HParamsNet.Summaries;
using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// Writes a study's TensorBoard log directory from its storage alone (<c>hparams rebuild</c>): the
/// experiment and the study's record, and a session per trial (per fold with cross-validation)
/// with its configuration, its intermediate values, its final value, its user attributes and how
/// it ended, at the times the storage recorded. For a study whose workers wrote their sessions on
/// machines without a shared file system, a log directory lost or never written, or a look at a
/// study in another place. The groups are the ones the workers write (<c>trial-NNNN@id</c>).
/// </summary>
public static class LogDirectoryRebuild
{
    /// <summary>Writes the log directory of <paramref name="study"/> into <paramref name="logDir"/>, which must be new or empty.</summary>
    /// <param name="storage">Where the study is.</param>
    /// <param name="study">The study's name.</param>
    /// <param name="logDir">A new or empty directory.</param>
    /// <param name="options">Options of the event files.</param>
    /// <param name="cancellationToken">Cancels the work (what is written stays).</param>
    /// <returns>How many trials were written.</returns>
    /// <exception cref="InvalidOperationException">The storage has no study of that name; the message lists those it has.</exception>
    /// <exception cref="IOException">The directory holds files already (nothing is overwritten), or cannot be written.</exception>
    public static async Task<int> WriteAsync(IStudyStorage storage, string study, string logDir, EventFileWriterOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        ArgumentException.ThrowIfNullOrEmpty(study);
        ArgumentException.ThrowIfNullOrEmpty(logDir);
        IReadOnlyList<StudySummary> studies = await storage.GetStudiesAsync(cancellationToken).ConfigureAwait(false);
        StudySummary summary = studies.FirstOrDefault(s => s.Name == study)
            ?? throw new InvalidOperationException($"The storage has no study '{study}'; it has {(studies.Count == 0 ? "none" : string.Join(", ", studies.Select(s => $"'{s.Name}'")))}.");
        string full = Path.GetFullPath(logDir);
        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).Any())
        {
            throw new IOException($"'{full}' is not empty; give a new directory for study '{study}'. Nothing was written.");
        }

        Directory.CreateDirectory(full);
        string studyId = TrialNames.StudyId(study);
        StudyTensorBoard.PublishExperiment(full, summary.Definition.ToRecord(), HParamsSummaries.Experiment(summary.Experiment, summary.Created), studyId, options);
        IReadOnlyList<FrozenTrial> trials = await storage.GetTrialsAsync(study, cancellationToken).ConfigureAwait(false);
        foreach (FrozenTrial trial in trials.Where(t => t.HParams.Count > 0))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (summary.Folds is int folds)
            {
                // A fold's session per fold that ran: the finished ones, and the one the trial ended in.
                int ran = Math.Min(folds, trial.FoldValues.Count + (trial.State == TrialState.Complete ? 0 : 1));
                for (int fold = 0; fold < ran; fold++)
                {
                    WriteSession(full, trial, fold, summary.Objective.Metric, [], studyId, options);
                }
            }
            else
            {
                WriteSession(full, trial, null, summary.Objective.Metric, OtherValues(trial, summary.Definition), studyId, options);
            }
        }

        return trials.Count(t => t.HParams.Count > 0);
    }

    // A complete trial's final values of the other objectives and of the constraints (a study with
    // several, or with constraints), as the study wrote them beside the objective's.
    private static IReadOnlyList<(Metric Metric, double Value)> OtherValues(FrozenTrial trial, StudyDefinition definition) =>
        trial.State != TrialState.Complete ? [] :
        [.. definition.Objectives.Skip(1).Select(o => o.Metric).Zip(trial.Values.Skip(1)), .. definition.Constraints.Zip(trial.Constraints)];

    // One session of a trial (a fold, or the trial): start, intermediate values and final value of the objective, user attributes, and (when finished) its end.
    private static void WriteSession(string logDir, FrozenTrial trial, int? fold, Metric objective, IReadOnlyList<(Metric Metric, double Value)> others, string studyId, EventFileWriterOptions? options)
    {
        string run = Path.Combine(logDir, TrialNames.Session(trial.Number, fold));
        bool foldFinished = fold is int f && f < trial.FoldValues.Count;
        double? final = foldFinished ? trial.FoldValues[fold!.Value] : fold is null && trial.State == TrialState.Complete ? trial.Value : null;
        IReadOnlyList<KeyValuePair<long, double>> curve = fold is int k ? trial.IntermediateValuesOf(k) : trial.IntermediateValues;

        // One file per metric group (a group is a sub-run), each written whole before the next.
        foreach (IGrouping<string, (Metric Metric, double Value)> group in others.Prepend((Metric: objective, Value: double.NaN)).GroupBy(o => o.Metric.Group))
        {
            using SummaryWriter values = SummaryWriter.Create(group.Key.Length == 0 ? run : Path.Combine(run, group.Key), options);
            if (group.Key == objective.Group)
            {
                foreach ((long step, double value) in curve)
                {
                    values.Scalar(objective.Tag, value, step, trial.Started);
                }

                if (final is double last)
                {
                    values.Scalar(objective.Tag, last, (curve.Count > 0 ? curve[^1].Key : 0) + 1, trial.Ended);
                }
            }

            foreach ((Metric metric, double value) in group.Where(o => o.Metric != objective))
            {
                values.Scalar(metric.Tag, value, 0, trial.Ended);
            }
        }

        using SummaryWriter writer = SummaryWriter.Create(run, options);
        writer.HParams(trial.HParams, TrialNames.Group(trial.Number, studyId), trial.Started);
        foreach ((string key, string value) in trial.UserAttributes)
        {
            writer.WriteSummary(TextSummaries.Text(TrialSession.UserAttributeTag(key), value), 0);
        }

        if (!trial.IsFinished && !foldFinished)
        {
            return; // still running in the storage: TensorBoard shows it running
        }

        (SessionStatus status, string text) = foldFinished ? (SessionStatus.Success, TrialSession.CompleteText(objective, final!.Value)) : TrialSession.EndOf(trial, objective);
        writer.WriteSummary(TextSummaries.Text(TrialSession.StatusTextTag, text), 0);
        writer.SessionEnd(status, trial.Ended ?? trial.Started);
    }
}
