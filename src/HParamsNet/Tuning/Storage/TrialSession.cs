using System.Globalization;
using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.Summaries;
using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// The record of one session of a trial in the log directory: its run (hparams, final values,
/// status) and the sub-runs of metric groups. Ending it writes the status once and forces every
/// file to disk before the next trial starts.
/// </summary>
internal sealed class TrialSession : IDisposable
{
    /// <summary>The text tag that says how a trial ended, in words (TensorBoard's Text dashboard).</summary>
    public const string StatusTextTag = SessionRecord.StatusTextTag;

    private readonly EventFileWriterOptions? _options;
    private readonly Dictionary<string, SummaryWriter> _writers = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    private readonly bool _syncToDisk;

    public TrialSession(string logDir, string runName, IReadOnlyDictionary<HParam, object> hparams, string groupName, EventFileWriterOptions? options, bool syncToDisk)
    {
        RunName = runName;
        RunDirectory = Path.Combine(logDir, runName);
        _options = options;
        _syncToDisk = syncToDisk;
        SummaryWriter run = Writer(string.Empty);
        Recording(() =>
        {
            run.HParams(hparams, groupName);
            run.Flush(); // TensorBoard shows the running trial, and a crash cannot lose which configuration it was
            return run;
        });
    }

    public string RunName { get; }

    public string RunDirectory { get; }

    /// <summary>Whether the session's end was written.</summary>
    public bool HasEnded { get; private set; }

    /// <summary>The writer of the session's run ("") or of one of its sub-runs.</summary>
    /// <exception cref="StudyRecordException">Its event file cannot be created.</exception>
    public SummaryWriter Writer(string group)
    {
        lock (_lock)
        {
            if (!_writers.TryGetValue(group, out SummaryWriter? writer))
            {
                writer = Recording(() => SummaryWriter.Create(group.Length == 0 ? RunDirectory : Path.Combine(RunDirectory, group), _options));
                _writers.Add(group, writer);
            }

            return writer;
        }
    }

    /// <summary>Writes a scalar of the session's run ("") or of one of its sub-runs.</summary>
    /// <exception cref="StudyRecordException">The write failed (e.g. the disk is full).</exception>
    public void Scalar(string group, string tag, double value, long step)
    {
        SummaryWriter writer = Writer(group);
        Recording(() =>
        {
            writer.Scalar(tag, value, step);
            return writer;
        });
    }

    /// <summary>The text tag under which a user attribute's value is written (TensorBoard's Text dashboard).</summary>
    public static string UserAttributeTag(string key) => $"{UserAttributePrefix}{key}";

    /// <summary>What the tags of user attributes begin with.</summary>
    public const string UserAttributePrefix = "tuner/user_attrs/";

    /// <summary>Writes a user attribute of the trial, as text of the session's run.</summary>
    /// <exception cref="StudyRecordException">The write failed (e.g. the disk is full).</exception>
    public void UserAttribute(string key, string value)
    {
        SummaryWriter run = Writer(string.Empty);
        Recording(() =>
        {
            run.WriteSummary(TextSummaries.Text(UserAttributeTag(key), value), 0);
            return run;
        });
    }

    /// <summary>Ends a session whose objective returned <paramref name="value"/>: SUCCESS.</summary>
    /// <exception cref="StudyRecordException">The write failed (e.g. the disk is full).</exception>
    public void EndComplete(Metric metric, double value) => End(SessionStatus.Success, CompleteText(metric, value));

    /// <summary>Ends a session a pruner stopped after its last report: UNKNOWN, "pruned at step N" (what resume reads as pruned).</summary>
    /// <exception cref="StudyRecordException">The write failed (e.g. the disk is full).</exception>
    public void EndPruned(IReadOnlyList<KeyValuePair<long, double>> intermediate) => End(SessionStatus.Unknown, PrunedText(intermediate));

    /// <summary>Ends a failed session: FAILURE, "failed: why" (what resume reads as the error).</summary>
    /// <exception cref="StudyRecordException">The write failed (e.g. the disk is full).</exception>
    public void EndFailed(string error) => End(SessionStatus.Failure, FailedText(error));

    /// <summary>How a finished trial's session ends: its status, and the words of the Text dashboard (what resume reads back).</summary>
    public static (SessionStatus Status, string Text) EndOf(FrozenTrial trial, Metric objective) => trial.State switch
    {
        TrialState.Complete => (SessionStatus.Success, CompleteText(objective, trial.Value)),
        TrialState.Pruned => (SessionStatus.Unknown, PrunedText(trial.IntermediateValues)),
        _ => (SessionStatus.Failure, FailedText(trial.Error ?? "unknown error")),
    };

    public static string CompleteText(Metric metric, double value) => string.Create(CultureInfo.InvariantCulture, $"complete: {metric.Tag} = {value}");

    public static string PrunedText(IReadOnlyList<KeyValuePair<long, double>> intermediate) =>
        string.Create(CultureInfo.InvariantCulture, $"pruned at step {(intermediate.Count > 0 ? intermediate[^1].Key : 0)}");

    public static string FailedText(string error) => $"failed: {error}";

    // Writes how the session ended and hands every file to the OS (and to the disk, if asked).
    private void End(SessionStatus status, string statusText)
    {
        SummaryWriter run = Writer(string.Empty);
        Recording(() =>
        {
            run.WriteSummary(TextSummaries.Text(StatusTextTag, statusText), 0);
            run.SessionEnd(status);
            HasEnded = true;
            foreach (SummaryWriter writer in _writers.Values)
            {
                writer.Flush(toDisk: _syncToDisk);
            }

            return run;
        });
    }

    /// <summary>
    /// Closes the files of a session that will never end (its study stopped on a write failure):
    /// what is still buffered may not be written, and need not be, since the trial runs again.
    /// </summary>
    public void Abandon()
    {
        foreach (SummaryWriter writer in _writers.Values)
        {
            try
            {
                writer.Dispose();
            }
            catch (IOException)
            {
                // The disk that failed the write fails the last flush too; the session is redone on resume.
            }
        }

        _writers.Clear();
    }

    public void Dispose()
    {
        foreach (SummaryWriter writer in _writers.Values)
        {
            writer.Dispose();
        }

        _writers.Clear();
    }

    private T Recording<T>(Func<T> write)
    {
        try
        {
            return write();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException && e is not StudyRecordException)
        {
            throw new StudyRecordException(RunDirectory, e);
        }
    }
}
