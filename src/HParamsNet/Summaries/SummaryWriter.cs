using System.Diagnostics.CodeAnalysis;
using HParamsNet.Events;
using HParamsNet.Protos;

namespace HParamsNet.Summaries;

/// <summary>
/// Writes a TensorBoard run: scalars, the hparams config (experiment) and a session's hparams
/// and end status, in the forms TensorBoard's loaders read. Mirrors
/// <c>tf.summary.create_file_writer</c> with <c>tensorboard.plugins.hparams.api</c>.
/// </summary>
/// <remarks>
/// One writer per run directory: TensorBoard reads a run's files in name order and never goes
/// back to an earlier one. The rules that keep TensorBoard's view correct are enforced here: one
/// session start and one session end per run, strictly increasing steps per tag, no reserved tags.
/// <para>
/// Thread-safe. Scalars are fastest from one thread: the first thread that writes them takes no
/// lock (the flush timer and other threads pause it, for about a microsecond); once a second
/// thread writes scalars too, every call takes an ordinary lock.
/// </para>
/// </remarks>
public sealed partial class SummaryWriter : IDisposable, IAsyncDisposable
{
    private const string ScalarsPlugin = "scalars";

    private readonly EventFileWriter _events;
    private readonly TimeProvider _time;
    private readonly BiasedLock _lock;
    private readonly Dictionary<string, TagState> _tags = new(StringComparer.Ordinal);
    private string? _lastScalarTag;
    private TagState? _lastScalarState;
    private bool _experimentWritten;
    private bool _sessionStarted;
    private bool _sessionEnded;

    private SummaryWriter(string logDir, EventFileWriter events, TimeProvider time)
    {
        LogDir = logDir;
        _events = events;
        _lock = events.Gate;
        _time = time;
    }

    /// <summary>The run directory this writer writes to.</summary>
    public string LogDir { get; }

    /// <summary>The event file being written.</summary>
    public string FilePath => _events.FilePath;

    /// <summary>Creates a writer with a new event file in <paramref name="logDir"/> (created if missing).</summary>
    /// <param name="logDir">The run directory.</param>
    /// <param name="options">Writer options, or <see langword="null"/> for the defaults.</param>
    public static SummaryWriter Create(string logDir, EventFileWriterOptions? options = null)
    {
        options ??= EventFileWriterOptions.Default;
        EventFileWriter events = EventFileWriter.Create(logDir, options);
        return new SummaryWriter(logDir, events, options.TimeProvider);
    }

    /// <summary>A writer whose file TensorBoard sees only once <see cref="Publish"/> renames it (see <see cref="EventFileWriter.CreateStaged"/>).</summary>
    internal static SummaryWriter CreateStaged(string logDir, EventFileWriterOptions? options = null)
    {
        options ??= EventFileWriterOptions.Default;
        EventFileWriter events = EventFileWriter.CreateStaged(logDir, options);
        return new SummaryWriter(logDir, events, options.TimeProvider);
    }

    /// <summary>Flushes a staged writer's file to disk, closes it and gives it its event file name.</summary>
    internal string Publish() => _events.Publish();

    /// <summary>Writes a scalar value of series <paramref name="tag"/> at <paramref name="step"/> (stored as float32).</summary>
    /// <param name="tag">The series name; not starting with <c>_hparams_/</c>.</param>
    /// <param name="value">The value; NaN and infinities are kept, as TensorBoard shows them.</param>
    /// <param name="step">The step; strictly greater than this tag's previous step.</param>
    /// <exception cref="ArgumentException">An empty or reserved tag, or a step not after the tag's previous one.</exception>
    public void Scalar(string tag, double value, long step) =>
        WriteScalar(tag, value, step, _events.Now(), description: ""); // the tag is checked where it is looked up

    /// <summary>Writes a scalar with an explicit wall time and, for the tag's first value, a description.</summary>
    /// <param name="tag">The series name; not starting with <c>_hparams_/</c>.</param>
    /// <param name="value">The value (stored as float32).</param>
    /// <param name="step">The step; strictly greater than this tag's previous step.</param>
    /// <param name="wallTime">When the value was measured; now when <see langword="null"/>.</param>
    /// <param name="description">Markdown shown in TensorBoard; used from the tag's first value.</param>
    /// <exception cref="ArgumentException">An empty or reserved tag, or a step not after the tag's previous one.</exception>
    public void Scalar(string tag, double value, long step, DateTimeOffset? wallTime, string description = "")
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        WriteScalar(tag, value, step, _events.WallSeconds(wallTime), description);
    }

    // The thread that writes scalars owns the lock and enters it without an atomic instruction;
    // any other thread takes it (see BiasedLock).
    private void WriteScalar(string tag, double value, long step, double wallTime, string description)
    {
        using (_lock.EnterToWriteScalars())
        {
            WriteScalarInside(tag, value, step, wallTime, description);
        }
    }

    // The hot path: a tag seen before, usually the same string object as last time. Everything
    // else (a new tag, a mistake) is out of line so that this stays small.
    private void WriteScalarInside(string tag, double value, long step, double wallTime, string description)
    {
        TagState? state = ReferenceEquals(tag, _lastScalarTag) ? _lastScalarState : FindScalarTag(tag);
        if (state is null)
        {
            AddScalarTag(tag, value, step, wallTime, description);
            return;
        }

        if (step <= state.LastStep)
        {
            ThrowStepNotAfter(tag, step, state.LastStep);
        }

        _events.WriteScalarHoldingLock(state.Scalars!, (float)value, step, wallTime);
        state.LastStep = step;
    }

    private TagState? FindScalarTag(string tag)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        if (!_tags.TryGetValue(tag, out TagState? state))
        {
            return null;
        }

        if (state.Scalars is null)
        {
            throw new ArgumentException($"Tag '{tag}' in run '{LogDir}' already holds {state.Plugin}; TensorBoard shows a tag in one dashboard only. Give the scalars another tag.", nameof(tag));
        }

        // Remembered by reference: a loop logs the same few tag strings over and over.
        _lastScalarTag = tag;
        _lastScalarState = state;
        return state;
    }

    private void AddScalarTag(string tag, double value, long step, double wallTime, string description)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        // Checked once per tag: a known tag passed it.
        if (tag.StartsWith(HParamsSummaries.ReservedTagPrefix, StringComparison.Ordinal))
        {
            throw new ArgumentException($"Scalar tag '{tag}' starts with '{HParamsSummaries.ReservedTagPrefix}', which TensorBoard reserves for the HParams plugin; choose another tag.", nameof(tag));
        }

        SummaryMetadata? metadata = string.IsNullOrEmpty(description) ? null : ScalarSummaries.Metadata(description: description);
        var scalars = new EventFileWriter.ScalarSeries(tag, metadata);
        _events.WriteScalarHoldingLock(scalars, (float)value, step, wallTime);
        var state = new TagState(ScalarsPlugin, scalars) { LastStep = step };
        _tags.Add(tag, state);
        _lastScalarTag = tag;
        _lastScalarState = state;
    }

    [DoesNotReturn]
    private void ThrowStepNotAfter(string tag, long step, long lastStep) =>
        throw new ArgumentException(
            $"Scalar '{tag}' in run '{LogDir}': step {step} is not after the previous step {lastStep}. TensorBoard's Rust loader keeps only the newest point for a repeated or earlier step; log each step once, in increasing order.",
            nameof(step));

    /// <summary>
    /// Writes the hparams config (experiment): every hparam and metric TensorBoard's HParams
    /// dashboard will show. Write it once, in the log directory's root run; sessions go in
    /// sub-directories.
    /// </summary>
    /// <param name="hparams">The hyperparameters.</param>
    /// <param name="metrics">The metrics.</param>
    /// <param name="timeCreated">When the experiment was created; now when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">Duplicate hparam names or metrics.</exception>
    /// <exception cref="InvalidOperationException">This writer already wrote a config.</exception>
    public void HParamsConfig(IEnumerable<HParam> hparams, IEnumerable<Metric> metrics, DateTimeOffset? timeCreated = null) =>
        HParamsConfig(new HParamsExperiment(hparams, metrics), timeCreated);

    /// <summary>Writes the hparams config of <paramref name="experiment"/>; see <see cref="HParamsConfig(IEnumerable{HParam}, IEnumerable{Metric}, DateTimeOffset?)"/>.</summary>
    /// <param name="experiment">The experiment.</param>
    /// <param name="timeCreated">When the experiment was created; its <see cref="HParamsExperiment.TimeCreated"/> when <see langword="null"/>, else now.</param>
    public void HParamsConfig(HParamsExperiment experiment, DateTimeOffset? timeCreated = null)
    {
        ArgumentNullException.ThrowIfNull(experiment);
        Summary summary = HParamsSummaries.Experiment(experiment, timeCreated ?? experiment.TimeCreated ?? _time.GetUtcNow());
        using (_lock.Enter())
        {
            if (_experimentWritten)
            {
                throw new InvalidOperationException($"The hparams config was already written to '{LogDir}'. TensorBoard uses one config per log directory; write it once.");
            }

            _events.WriteSummary(summary, step: 0);
            _experimentWritten = true;
        }
    }

    /// <summary>
    /// Writes this run's hparams (the session start), checking each value against its hparam's
    /// domain. TensorBoard keeps the first session start of a run, so this may be called once.
    /// </summary>
    /// <param name="hparams">A value for each hparam of this run.</param>
    /// <param name="trialId">The session group; runs with the same id are aggregated (e.g. cross-validation folds). When <see langword="null"/>, derived from the values as TensorBoard's Python writer does.</param>
    /// <param name="startTime">When the session started; now when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">Two hparams share a name, or a value is outside its domain (the message names both).</exception>
    /// <exception cref="InvalidOperationException">This run's hparams were already written.</exception>
    public void HParams(IReadOnlyDictionary<HParam, object> hparams, string? trialId = null, DateTimeOffset? startTime = null)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        var byName = new Dictionary<string, object>(hparams.Count, StringComparer.Ordinal);
        foreach ((HParam hparam, object value) in hparams)
        {
            object normalized = hparam.Validate(value);
            if (!byName.TryAdd(hparam.Name, normalized))
            {
                throw new ArgumentException($"Two hparams named '{hparam.Name}' were given; each name may have one value.", nameof(hparams));
            }
        }

        WriteSessionStart(byName, trialId, startTime);
    }

    /// <summary>
    /// Writes this run's hparams by name, without domain checks (as TensorBoard's Python API
    /// accepts names). Prefer the <see cref="HParam"/>-keyed overload, or
    /// <see cref="HParamsExperiment.Resolve"/>, to have values checked.
    /// </summary>
    /// <param name="hparams">Values by hparam name: numbers, strings or bools.</param>
    /// <param name="trialId">The session group; derived from the values when <see langword="null"/>.</param>
    /// <param name="startTime">When the session started; now when <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">A value is null, NaN, infinite or of an unsupported type.</exception>
    /// <exception cref="InvalidOperationException">This run's hparams were already written.</exception>
    public void HParams(IReadOnlyDictionary<string, object> hparams, string? trialId = null, DateTimeOffset? startTime = null)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        var byName = hparams.ToDictionary(pair => pair.Key, pair => HParamValues.Normalize(pair.Key, pair.Value), StringComparer.Ordinal);
        WriteSessionStart(byName, trialId, startTime);
    }

    /// <summary>
    /// Writes how this run's session ended. TensorBoard keeps the first end of a run and shows
    /// a session without one as Unknown, so call this once, when the session is over.
    /// </summary>
    /// <param name="status">How the session ended.</param>
    /// <param name="endTime">When it ended; now when <see langword="null"/>.</param>
    /// <exception cref="InvalidOperationException">The end was already written.</exception>
    public void SessionEnd(SessionStatus status = SessionStatus.Success, DateTimeOffset? endTime = null)
    {
        Summary summary = HParamsSummaries.SessionEnd(status, endTime ?? _time.GetUtcNow());
        using (_lock.Enter())
        {
            if (_sessionEnded)
            {
                throw new InvalidOperationException($"The session end of '{LogDir}' was already written; TensorBoard keeps the first one, so a status cannot be changed.");
            }

            _events.WriteSummary(summary, step: 0);
            _sessionEnded = true;
        }
    }

    /// <summary>Writes any summary as one event; for plugins this writer has no method for.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="step">The step.</param>
    public void WriteSummary(Summary summary, long step) => _events.WriteSummary(summary, step);

    /// <summary>Hands buffered events to the operating system.</summary>
    public void Flush() => _events.Flush();

    /// <summary>Hands buffered events to the operating system and, with <paramref name="toDisk"/>, waits until they are on disk.</summary>
    /// <param name="toDisk">Whether to also force the data to the storage device (fsync).</param>
    public void Flush(bool toDisk) => _events.Flush(toDisk);

    /// <summary>Hands buffered events to the operating system.</summary>
    /// <param name="cancellationToken">Cancels before the flush starts.</param>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default) => _events.FlushAsync(cancellationToken);

    /// <summary>Flushes and closes the event file.</summary>
    public void Dispose() => _events.Dispose();

    /// <summary>Flushes and closes the event file.</summary>
    public ValueTask DisposeAsync() => _events.DisposeAsync();

    private void WriteSessionStart(Dictionary<string, object> byName, string? trialId, DateTimeOffset? startTime)
    {
        Summary summary = HParamsSummaries.SessionStart(byName, trialId, startTime ?? _time.GetUtcNow());
        using (_lock.Enter())
        {
            if (_sessionStarted)
            {
                throw new InvalidOperationException($"The hparams of '{LogDir}' were already written; TensorBoard keeps the first. Write each trial to its own run directory.");
            }

            _events.WriteSummary(summary, step: 0);
            _sessionStarted = true;
        }
    }

    // What this writer knows of a tag: the dashboard it belongs to (one per tag), the last step
    // written (steps go forward) and, for scalars, the encoder's handle.
    private sealed class TagState(string plugin, EventFileWriter.ScalarSeries? scalars)
    {
        public string Plugin { get; } = plugin;

        public EventFileWriter.ScalarSeries? Scalars { get; } = scalars;

        public long LastStep { get; set; }
    }
}
