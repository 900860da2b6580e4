namespace HParamsNet;

/// <summary>
/// The record of one session of a trial in the log directory: its run (hparams, final values,
/// status) and the sub-runs of metric groups. Ending it writes the status once and forces every
/// file to disk before the next trial starts.
/// </summary>
internal sealed class TrialSession : IDisposable
{
    /// <summary>The text tag that says how a trial ended, in words (TensorBoard's Text dashboard).</summary>
    public const string StatusTextTag = "tuner/status";

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
        run.HParams(hparams, groupName);
        run.Flush(); // TensorBoard shows the running trial, and a crash cannot lose which configuration it was
    }

    public string RunName { get; }

    public string RunDirectory { get; }

    /// <summary>The writer of the session's run ("") or of one of its sub-runs.</summary>
    public SummaryWriter Writer(string group)
    {
        lock (_lock)
        {
            if (!_writers.TryGetValue(group, out SummaryWriter? writer))
            {
                writer = SummaryWriter.Create(group.Length == 0 ? RunDirectory : Path.Combine(RunDirectory, group), _options);
                _writers.Add(group, writer);
            }

            return writer;
        }
    }

    /// <summary>Writes how the session ended and hands every file to the OS (and to the disk, if asked).</summary>
    public void End(SessionStatus status, string statusText)
    {
        SummaryWriter run = Writer(string.Empty);
        run.WriteSummary(TextSummaries.Text(StatusTextTag, statusText), 0);
        run.SessionEnd(status);
        foreach (SummaryWriter writer in _writers.Values)
        {
            writer.Flush(toDisk: _syncToDisk);
        }
    }

    public void Dispose()
    {
        foreach (SummaryWriter writer in _writers.Values)
        {
            writer.Dispose();
        }

        _writers.Clear();
    }
}
