using Google.Protobuf;
using HParamsNet.Protos;

namespace HParamsNet.Events;

/// <summary>
/// Streams the events of one event file, or of every event file of a run directory in the order
/// TensorBoard reads them.
/// </summary>
/// <remarks>
/// A truncated final record ends the stream cleanly and is reported through
/// <see cref="EventFileReaderOptions.ProblemReported"/>. A damaged record throws
/// <see cref="CorruptEventFileException"/> or, with
/// <see cref="CorruptRecordHandling.SkipRestOfFile"/>, is reported and ends that file's events.
/// No other exception comes out of damaged data.
/// </remarks>
public sealed class EventFileReader : IDisposable
{
    private readonly TfRecordReader _records;
    private readonly EventFileReaderOptions _options;
    private readonly ScalarEventDecoder _scalars;
    private bool _stopped;

    /// <summary>Opens an event file for reading; the file may still be growing.</summary>
    /// <param name="path">The event file.</param>
    /// <param name="options">Reader options, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public EventFileReader(string path, EventFileReaderOptions? options = null)
        : this(path, options, deferOtherPlugins: false)
    {
    }

    // With deferOtherPlugins, TryReadNextData decodes scalar points fast and hands out the (rare)
    // events of other plugins (hparams, text) in full.
    internal EventFileReader(string path, EventFileReaderOptions? options, bool deferOtherPlugins)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        _options = options ?? EventFileReaderOptions.Default;
        Path = path;
        // Share with writers (the file may be growing) and with deleters (log rotation).
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1);
        _records = new TfRecordReader(stream, _options.VerifyChecksums);
        _scalars = new ScalarEventDecoder { DeferOtherPlugins = deferOtherPlugins };
    }

    /// <summary>The event file.</summary>
    public string Path { get; }

    /// <summary>Byte offset of the record read last.</summary>
    internal long LastRecordOffset => _records.LastRecordOffset;

    /// <summary>Reports a problem found in the data of the record read last (e.g. a summary's plugin content): thrown or reported as the options say.</summary>
    internal void ReportDataProblem(EventFileProblemKind kind, string detail) =>
        ReportOrThrow(EventFileProblem.Create(Path, _records.LastRecordOffset, kind, detail));

    /// <summary>Byte offset of the next record.</summary>
    public long Position => _records.Position;

    /// <summary>
    /// Reads the next event. Returns <see langword="false"/> at the end of the data, at a truncated
    /// final record (call again later if the file is still being written) and, with
    /// <see cref="CorruptRecordHandling.SkipRestOfFile"/>, from a damaged record on.
    /// </summary>
    /// <param name="record">The event and its offset.</param>
    /// <exception cref="CorruptEventFileException">A damaged record, with <see cref="CorruptRecordHandling.Throw"/>.</exception>
    public bool TryReadNext([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out EventRecord? record)
    {
        record = TryReadNextEvent(out Event? evt) ? new EventRecord(Path, _records.LastRecordOffset, evt) : null;
        return record is not null;
    }

    /// <summary>
    /// Reads the next event: its scalar points into <paramref name="scalars"/>, and the event
    /// itself when it had to be parsed in full (with other plugins deferred: hparams, text).
    /// </summary>
    internal bool TryReadNextData(List<ScalarEvent> scalars, out Event? parsed)
    {
        parsed = null;
        if (!TryReadPayload(out ReadOnlySpan<byte> payload))
        {
            return false;
        }

        if (_scalars.TryDecode(payload, scalars))
        {
            return true;
        }

        parsed = TryParse(payload, out string? error);
        if (parsed is null)
        {
            Fail(EventFileProblem.Create(Path, _records.LastRecordOffset, EventFileProblemKind.InvalidEvent, error));
            return false;
        }

        _scalars.AddParsed(parsed, scalars);
        return true;
    }

    /// <summary>
    /// Reads the scalar points of the next event into <paramref name="output"/> (none for an event
    /// without scalars), decoding the common forms without building messages. Same end-of-data and
    /// damage behaviour as <see cref="TryReadNext"/>.
    /// </summary>
    /// <param name="output">Receives the event's scalar points.</param>
    /// <returns><see langword="false"/> when there is no further event.</returns>
    /// <exception cref="CorruptEventFileException">A damaged record, with <see cref="CorruptRecordHandling.Throw"/>.</exception>
    public bool TryReadNextScalars(List<ScalarEvent> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!TryReadPayload(out ReadOnlySpan<byte> payload))
        {
            return false;
        }

        if (_scalars.TryDecode(payload, output))
        {
            return true;
        }

        Event? evt = TryParse(payload, out string? error);
        if (evt is null)
        {
            Fail(EventFileProblem.Create(Path, _records.LastRecordOffset, EventFileProblemKind.InvalidEvent, error));
            return false;
        }

        _scalars.AddParsed(evt, output);
        return true;
    }

    /// <inheritdoc/>
    public void Dispose() => _records.Dispose();

    /// <summary>The events of one event file, in file order.</summary>
    /// <param name="path">The event file.</param>
    /// <param name="options">Reader options, or <see langword="null"/> for the defaults.</param>
    public static IEnumerable<Event> ReadEvents(string path, EventFileReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ReadEventsIterator(path, options);
    }

    /// <summary>The events of one event file with their byte offsets, in file order.</summary>
    /// <param name="path">The event file.</param>
    /// <param name="options">Reader options, or <see langword="null"/> for the defaults.</param>
    public static IEnumerable<EventRecord> ReadRecords(string path, EventFileReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ReadRecordsIterator(path, options);
    }

    /// <summary>
    /// The events of every event file directly in <paramref name="runDirectory"/> (not its
    /// sub-directories, which are runs of their own), file after file in name order, as
    /// TensorBoard joins them.
    /// </summary>
    /// <param name="runDirectory">A run directory.</param>
    /// <param name="options">Reader options, or <see langword="null"/> for the defaults.</param>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static IEnumerable<EventRecord> ReadRunRecords(string runDirectory, EventFileReaderOptions? options = null)
    {
        IReadOnlyList<string> files = EventFileNames.ListEventFiles(runDirectory);
        return files.SelectMany(file => ReadRecordsIterator(file, options));
    }

    /// <summary>The events of a run directory; see <see cref="ReadRunRecords"/>.</summary>
    /// <param name="runDirectory">A run directory.</param>
    /// <param name="options">Reader options, or <see langword="null"/> for the defaults.</param>
    public static IEnumerable<Event> ReadRunEvents(string runDirectory, EventFileReaderOptions? options = null) =>
        ReadRunRecords(runDirectory, options).Select(record => record.Event);

    /// <summary>
    /// The scalar points of one event file, as TensorBoard's scalars dashboard reads them: v1
    /// <c>simple_value</c>s, and tensors of tags whose first value carries the scalars plugin's
    /// metadata. Much faster than <see cref="ReadEvents"/> for scalar data: the common forms are
    /// decoded without building messages.
    /// </summary>
    /// <param name="path">The event file.</param>
    /// <param name="options">Reader options, or <see langword="null"/> for the defaults.</param>
    public static IEnumerable<ScalarEvent> ReadScalars(string path, EventFileReaderOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        return ReadScalarsIterator(path, options);
    }

    /// <summary>The scalar points of every event file of a run directory, in TensorBoard's file order; see <see cref="ReadScalars"/>.</summary>
    /// <param name="runDirectory">A run directory.</param>
    /// <param name="options">Reader options, or <see langword="null"/> for the defaults.</param>
    public static IEnumerable<ScalarEvent> ReadRunScalars(string runDirectory, EventFileReaderOptions? options = null) =>
        EventFileNames.ListEventFiles(runDirectory).SelectMany(file => ReadScalarsIterator(file, options));

    private static IEnumerable<ScalarEvent> ReadScalarsIterator(string path, EventFileReaderOptions? options)
    {
        using var reader = new EventFileReader(path, options);
        var batch = new List<ScalarEvent>(4);
        while (reader.TryReadNextScalars(batch))
        {
            foreach (ScalarEvent scalar in batch)
            {
                yield return scalar;
            }

            batch.Clear();
        }
    }

    private static IEnumerable<Event> ReadEventsIterator(string path, EventFileReaderOptions? options)
    {
        using var reader = new EventFileReader(path, options);
        while (reader.TryReadNextEvent(out Event? evt))
        {
            yield return evt;
        }
    }

    private static IEnumerable<EventRecord> ReadRecordsIterator(string path, EventFileReaderOptions? options)
    {
        using var reader = new EventFileReader(path, options);
        while (reader.TryReadNext(out EventRecord? record))
        {
            yield return record;
        }
    }

    private static Event? TryParse(ReadOnlySpan<byte> payload, out string? error)
    {
        try
        {
            error = null;
            return Event.Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException e)
        {
            error = e.Message;
            return null;
        }
    }

    private bool TryReadNextEvent([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Event? evt)
    {
        evt = null;
        if (!TryReadPayload(out ReadOnlySpan<byte> payload))
        {
            return false;
        }

        evt = TryParse(payload, out string? error);
        if (evt is null)
        {
            Fail(EventFileProblem.Create(Path, _records.LastRecordOffset, EventFileProblemKind.InvalidEvent, error));
            return false;
        }

        return true;
    }

    // The next record's payload; false at the end, at a truncated record, or after damage
    // (reported, or thrown with CorruptRecordHandling.Throw).
    private bool TryReadPayload(out ReadOnlySpan<byte> payload)
    {
        payload = default;
        if (_stopped)
        {
            return false;
        }

        TfRecordReadResult result = _records.ReadNext(out payload);
        long offset = _records.LastRecordOffset;
        switch (result)
        {
            case TfRecordReadResult.Record:
                return true;
            case TfRecordReadResult.EndOfData:
                return false;
            case TfRecordReadResult.Truncated:
                _options.ProblemReported?.Invoke(EventFileProblem.Create(Path, offset, EventFileProblemKind.TruncatedRecord));
                return false;
            case TfRecordReadResult.LengthChecksumMismatch:
                Fail(EventFileProblem.Create(Path, offset, EventFileProblemKind.LengthChecksumMismatch));
                return false;
            case TfRecordReadResult.PayloadChecksumMismatch:
                Fail(EventFileProblem.Create(Path, offset, EventFileProblemKind.PayloadChecksumMismatch));
                return false;
            default:
                throw new InvalidOperationException($"Unexpected record result {result}.");
        }
    }

    // A problem inside one event: the rest of the file is still read.
    private void ReportOrThrow(EventFileProblem problem)
    {
        if (_options.OnCorruptRecord == CorruptRecordHandling.Throw)
        {
            throw new CorruptEventFileException(problem);
        }

        _options.ProblemReported?.Invoke(problem);
    }

    private void Fail(EventFileProblem problem)
    {
        if (_options.OnCorruptRecord == CorruptRecordHandling.Throw)
        {
            throw new CorruptEventFileException(problem);
        }

        _stopped = true;
        _options.ProblemReported?.Invoke(problem);
    }
}
