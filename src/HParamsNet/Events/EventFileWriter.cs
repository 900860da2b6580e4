using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using Google.Protobuf;
using HParamsNet.Protos;

namespace HParamsNet.Events;

/// <summary>
/// Writes one TensorBoard event file: a new file named as TensorBoard's writer names them, the
/// <c>brain.Event:2</c> header first, then framed events, buffered and flushed on an interval,
/// when the buffer fills and on dispose. Safe to call from several threads.
/// </summary>
/// <remarks>
/// A new file is created with <see cref="FileMode.CreateNew"/>: an existing file is never
/// truncated or overwritten (a name already taken gets the next counter). An error while
/// flushing in the background is thrown by the next call, never swallowed.
/// </remarks>
public sealed class EventFileWriter : IDisposable, IAsyncDisposable
{
    /// <summary>The file version TensorBoard expects in each file's first event.</summary>
    public const string FileVersion = "brain.Event:2";

    private static readonly byte[] DefaultScalarMetadata = ScalarSummaries.Metadata().ToByteArray();

    // Asked once per process: the host name does not change while it runs.
    private static readonly Lazy<string> HostName = new(Dns.GetHostName);

    private readonly BiasedLock _gate = new();
    private readonly FileStream _file;
    private readonly TimeProvider _time;
    private readonly bool _systemClock;
    private readonly ITimer? _flushTimer;
    private readonly Dictionary<string, ScalarSeries> _scalarTags = new(StringComparer.Ordinal);
    private readonly byte[] _buffer;
    private readonly int _capacity;
    private byte[]? _oversizeRecord;
    private int _buffered;
    private Exception? _backgroundError;
    private readonly string? _publishTo;
    private readonly string _suffix;
    private bool _disposed;

    private EventFileWriter(FileStream file, EventFileWriterOptions options, string? publishTo)
    {
        _file = file;
        _publishTo = publishTo;
        _suffix = options.FileNameSuffix;
        _time = options.TimeProvider;
        _systemClock = ReferenceEquals(_time, TimeProvider.System);
        // Room past the last record for the scalar encoder's whole-vector copies.
        _buffer = new byte[options.BufferSize + ScalarEventEncoder.Template.CopySlack];
        _capacity = options.BufferSize;
        FilePath = file.Name;

        var header = new Event
        {
            WallTime = UnixTime.ToSeconds(_time.GetUtcNow()),
            FileVersion = FileVersion,
            SourceMetadata = new SourceMetadata { Writer = options.WriterName },
        };
        WriteEvent(header);
        Flush();

        if (options.FlushInterval != Timeout.InfiniteTimeSpan)
        {
            _flushTimer = _time.CreateTimer(static state => ((EventFileWriter)state!).FlushFromTimer(), this, options.FlushInterval, options.FlushInterval);
        }
    }

    /// <summary>The event file's full path.</summary>
    public string FilePath { get; }

    /// <summary>
    /// Creates a new event file in <paramref name="directory"/> (created if missing) and writes its
    /// header event.
    /// </summary>
    /// <param name="directory">The run directory.</param>
    /// <param name="options">Writer options, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="IOException">The directory cannot be created or the file cannot be written.</exception>
    public static EventFileWriter Create(string directory, EventFileWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= EventFileWriterOptions.Default;
        options.Validate();
        FileStream file = OpenNew(directory, () => CreateNewFile(directory, options.TimeProvider.GetUtcNow(), options.FileNameSuffix));
        return Start(file, options, publishTo: null);
    }

    /// <summary>
    /// Creates an event file that TensorBoard cannot see until <see cref="Publish"/>: it is written
    /// under a name without "tfevents", then renamed. A crash before then leaves no half-made run.
    /// </summary>
    internal static EventFileWriter CreateStaged(string directory, EventFileWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        options ??= EventFileWriterOptions.Default;
        options.Validate();
        string staging = Path.Combine(directory, $"{StagingPrefix}{Environment.ProcessId}.{Guid.NewGuid():N}");
        FileStream file = OpenNew(directory, () => new FileStream(staging, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0));
        return Start(file, options, publishTo: directory);
    }

    /// <summary>The name prefix of staged files (see <see cref="CreateStaged"/>); a leftover one is a crash's.</summary>
    internal const string StagingPrefix = ".hparamsnet-staging.";

    /// <summary>
    /// Makes a staged file visible: flushes it to disk, closes it and renames it to an event file
    /// name (never replacing a file). Returns the event file's path.
    /// </summary>
    internal string Publish()
    {
        string directory = _publishTo ?? throw new InvalidOperationException("Only a staged event file is published.");
        DateTimeOffset now;
        using (_gate.Enter())
        {
            ThrowIfUnusable();
            WriteBuffer();
            _file.Flush(flushToDisk: true);
            now = _time.GetUtcNow();
        }

        Dispose();
        string host = HostName.Value;
        for (int counter = 0; counter < 1000; counter++)
        {
            string target = Path.Combine(directory, EventFileNames.Create(now, host, Environment.ProcessId, counter, _suffix));
            try
            {
                // Without overwrite, .NET links then unlinks on Unix: an existing name is never replaced.
                File.Move(FilePath, target, overwrite: false);
                return target;
            }
            catch (IOException) when (File.Exists(target))
            {
                // Taken: try the next counter.
            }
        }

        throw new IOException($"Could not publish '{FilePath}' in '{directory}': 1000 event file names for this second are taken.");
    }

    private static FileStream OpenNew(string directory, Func<FileStream> open)
    {
        try
        {
            Directory.CreateDirectory(directory);
            return open();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw PathProblems.CannotWrite(directory, "run directory", e);
        }
    }

    private static EventFileWriter Start(FileStream file, EventFileWriterOptions options, string? publishTo)
    {
        try
        {
            return new EventFileWriter(file, options, publishTo);
        }
        catch
        {
            // The file is ours and holds at most a header: remove it rather than leave a stray run.
            string path = file.Name;
            file.Dispose();
            File.Delete(path);
            throw;
        }
    }

    // A new file named as TensorBoard names them; a name already taken (another writer in the same
    // second) gets the next counter. Never opens an existing file.
    private static FileStream CreateNewFile(string directory, DateTimeOffset now, string suffix)
    {
        const int MaxAttempts = 1000;
        string host = HostName.Value;
        for (int counter = 0; counter < MaxAttempts; counter++)
        {
            string path = Path.Combine(directory, EventFileNames.Create(now, host, Environment.ProcessId, counter, suffix));
            if (File.Exists(path))
            {
                continue;
            }

            try
            {
                return new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read | FileShare.Delete, bufferSize: 0);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Taken between the check and the create: try the next counter.
            }
        }

        throw new IOException($"Could not create a new event file in '{directory}': {MaxAttempts} names for this second are taken. Write fewer files per second into one run directory.");
    }

    /// <summary>Writes an event as it is.</summary>
    /// <param name="evt">The event; its <c>wall_time</c> must be finite.</param>
    public void WriteEvent(Event evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        if (!double.IsFinite(evt.WallTime))
        {
            throw new ArgumentException($"Event wall_time {evt.WallTime} is not finite; TensorBoard's Rust loader stops reading a file at such an event.", nameof(evt));
        }

        int length = evt.CalculateSize();
        using (_gate.Enter())
        {
            ThrowIfUnusable();
            Span<byte> record = BeginRecord(length);
            evt.WriteTo(record.Slice(TfRecordFormat.HeaderLength, length));
            EndRecord(record);
        }
    }

    /// <summary>Writes a summary as one event at <paramref name="step"/>, stamped now.</summary>
    /// <param name="summary">The summary.</param>
    /// <param name="step">The step.</param>
    public void WriteSummary(Summary summary, long step)
    {
        ArgumentNullException.ThrowIfNull(summary);
        WriteEvent(new Event { WallTime = UnixTime.ToSeconds(_time.GetUtcNow()), Step = step, Summary = summary });
    }

    /// <summary>
    /// Writes a scalar as TensorFlow 2 does (float32 rank-0 tensor), with the scalars plugin's
    /// metadata on the tag's first value in this file. Allocates nothing once the tag is known.
    /// </summary>
    /// <param name="tag">The series name.</param>
    /// <param name="value">The value.</param>
    /// <param name="step">The step.</param>
    /// <param name="wallTime">The wall time; now when <see langword="null"/>.</param>
    /// <param name="metadata">Metadata for the tag's first value (display name, description); the scalars plugin's default when <see langword="null"/>. Ignored after the first value.</param>
    public void WriteScalar(string tag, float value, long step, DateTimeOffset? wallTime = null, SummaryMetadata? metadata = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(tag);
        using (_gate.EnterToWriteScalars())
        {
            WriteScalarHoldingLock(SeriesOf(tag, metadata), value, step, WallSeconds(wallTime));
        }
    }

    private ScalarSeries SeriesOf(string tag, SummaryMetadata? metadata)
    {
        if (!_scalarTags.TryGetValue(tag, out ScalarSeries? series))
        {
            series = new ScalarSeries(tag, metadata);
            _scalarTags.Add(tag, series);
        }

        return series;
    }

    /// <summary>
    /// The lock every write takes; the thread that writes scalars enters it without an atomic
    /// instruction. A caller with state of its own (the per-tag checks of
    /// <see cref="Summaries.SummaryWriter"/>) guards it with this lock, so a scalar takes one lock, not two.
    /// </summary>
    internal BiasedLock Gate => _gate;

    /// <summary>Writes one value of a series used with this writer only, for a caller inside <see cref="Gate"/>: the scalar hot path (no look-up, no allocation).</summary>
    internal void WriteScalarHoldingLock(ScalarSeries series, float value, long step, double wallTime)
    {
        ThrowIfUnusable();
        if (series.Repeated is not { } repeated)
        {
            WriteFirstScalar(series, value, step, wallTime);
            return;
        }

        int length = ScalarEventEncoder.GetRepeatedLength(repeated.Length, step, wallTime);
        Span<byte> record = BeginRecord(length, out Span<byte> payloadAndSlack);
        ScalarEventEncoder.EncodeRepeated(payloadAndSlack, repeated, value, step, wallTime);
        EndRecord(record);
    }

    // A series' first event carries its metadata; it also makes the template of the later ones.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void WriteFirstScalar(ScalarSeries series, float value, long step, double wallTime)
    {
        int length = ScalarEventEncoder.GetLength(series.TagUtf8.Length, series.Metadata.Length, step, wallTime);
        Span<byte> record = BeginRecord(length);
        ScalarEventEncoder.Encode(record.Slice(TfRecordFormat.HeaderLength, length), series.TagUtf8, series.Metadata, value, step, wallTime);
        EndRecord(record);
        series.Repeated = new ScalarEventEncoder.Template(series.TagUtf8);
    }

    /// <summary>An event's wall time in Unix seconds: <paramref name="wallTime"/>, or now.</summary>
    internal double WallSeconds(DateTimeOffset? wallTime) => wallTime is { } time ? UnixTime.ToSeconds(time) : Now();

    /// <summary>Now in Unix seconds, from this writer's clock.</summary>
    // The system clock is read without the DateTimeOffset round trip when no other clock is set:
    // a scalar event's time is a third of its cost.
    internal double Now() =>
        _systemClock
            ? (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond
            : UnixTime.ToSeconds(_time.GetUtcNow());

    /// <summary>Hands buffered events to the operating system.</summary>
    public void Flush() => Flush(toDisk: false);

    /// <summary>Hands buffered events to the operating system and, with <paramref name="toDisk"/>, waits until they are on disk.</summary>
    /// <param name="toDisk">Whether to also force the data to the storage device (fsync).</param>
    public void Flush(bool toDisk)
    {
        using (_gate.Enter())
        {
            ThrowIfUnusable();
            WriteBuffer();
            if (toDisk)
            {
                _file.Flush(flushToDisk: true);
            }
        }
    }

    /// <summary>Hands buffered events to the operating system.</summary>
    /// <param name="cancellationToken">Cancels before the flush starts.</param>
    public ValueTask FlushAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        // The buffer holds at most BufferSize bytes and the write lands in the OS page cache: a
        // synchronous write under the lock is cheaper than an async hand-off and keeps record order.
        Flush();
        return ValueTask.CompletedTask;
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        using (_gate.Enter())
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _flushTimer?.Dispose();
            try
            {
                WriteBuffer();
            }
            finally
            {
                _file.Dispose();
            }

            if (_backgroundError is not null)
            {
                throw BackgroundFailure();
            }
        }
    }

    /// <summary>Flushes and closes the file.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    // Reserves a record of 'payloadLength' bytes; the payload goes at [HeaderLength..^FooterLength].
    private Span<byte> BeginRecord(int payloadLength) => BeginRecord(payloadLength, out _);

    // The same, with the space from the payload's start to the end of the buffer: a record in the
    // buffer has at least CopySlack bytes after it.
    private Span<byte> BeginRecord(int payloadLength, out Span<byte> payloadAndSlack)
    {
        int total = payloadLength + TfRecordFormat.HeaderLength + TfRecordFormat.FooterLength;
        if (_capacity - _buffered < total)
        {
            WriteBuffer();
        }

        if (total > _capacity)
        {
            _oversizeRecord = new byte[total];
            payloadAndSlack = _oversizeRecord.AsSpan(TfRecordFormat.HeaderLength);
            return _oversizeRecord;
        }

        payloadAndSlack = _buffer.AsSpan(_buffered + TfRecordFormat.HeaderLength);
        return _buffer.AsSpan(_buffered, total);
    }

    private void EndRecord(Span<byte> record)
    {
        TfRecordFormat.FrameInPlace(record);
        if (_oversizeRecord is not null)
        {
            _file.Write(_oversizeRecord);
            _oversizeRecord = null;
        }
        else
        {
            _buffered += record.Length;
        }
    }

    private void WriteBuffer()
    {
        if (_buffered == 0)
        {
            return;
        }

        _file.Write(_buffer, 0, _buffered);
        _buffered = 0;
    }

    private void FlushFromTimer()
    {
        using (_gate.Enter())
        {
            if (_disposed || _backgroundError is not null)
            {
                return;
            }

            try
            {
                WriteBuffer();
            }
            catch (IOException e)
            {
                _backgroundError = e;
            }
            catch (UnauthorizedAccessException e)
            {
                _backgroundError = e;
            }
        }
    }

    private void ThrowIfUnusable()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_backgroundError is not null)
        {
            throw BackgroundFailure();
        }
    }

    private IOException BackgroundFailure() =>
        new($"Writing event file '{FilePath}' failed during a background flush: {_backgroundError!.Message} Events buffered since the previous flush may be missing; check the disk and permissions.", _backgroundError);

    /// <summary>
    /// One tag's scalars in one file: its UTF-8 name, its first value's metadata (the scalars
    /// plugin's default when none is given) and, once that is written, the template of the later ones. A caller that keeps it
    /// looks the tag up once.
    /// </summary>
    internal sealed class ScalarSeries(string tag, SummaryMetadata? metadata)
    {
        public byte[] TagUtf8 { get; } = Encoding.UTF8.GetBytes(tag);

        public byte[] Metadata { get; } = metadata?.ToByteArray() ?? DefaultScalarMetadata;

        /// <summary>The template of the events after the first; <see langword="null"/> until the first (with its metadata) is written.</summary>
        public ScalarEventEncoder.Template? Repeated { get; set; }
    }
}
