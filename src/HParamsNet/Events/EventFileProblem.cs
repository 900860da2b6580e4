namespace HParamsNet.Events;

/// <summary>What is wrong at one place of an event file.</summary>
public enum EventFileProblemKind
{
    /// <summary>The file ends inside a record: still being written, or cut off by a crash.</summary>
    TruncatedRecord = 0,

    /// <summary>A record's length checksum does not match.</summary>
    LengthChecksumMismatch = 1,

    /// <summary>A record's payload checksum does not match.</summary>
    PayloadChecksumMismatch = 2,

    /// <summary>A record's payload is not a valid <c>Event</c> message.</summary>
    InvalidEvent = 3,

    /// <summary>A valid event whose hparams plugin data cannot be decoded; only that summary is skipped.</summary>
    InvalidPluginData = 4,
}

/// <summary>A problem found while reading an event file.</summary>
/// <param name="Path">The event file.</param>
/// <param name="Offset">Byte offset of the record where the problem starts.</param>
/// <param name="Kind">What is wrong.</param>
/// <param name="Message">A sentence naming the file, the offset and what to do.</param>
public sealed record EventFileProblem(string Path, long Offset, EventFileProblemKind Kind, string Message)
{
    /// <summary>Whether the problem is damage, as opposed to a file that may still be growing.</summary>
    public bool IsCorruption => Kind != EventFileProblemKind.TruncatedRecord;

    internal static EventFileProblem Create(string path, long offset, EventFileProblemKind kind, string? detail = null)
    {
        string what = kind switch
        {
            EventFileProblemKind.TruncatedRecord =>
                "ends inside a record (the file is still being written, or was cut off by a crash); the events before it were read",
            EventFileProblemKind.LengthChecksumMismatch =>
                "has a record whose length checksum does not match, so nothing after it can be read",
            EventFileProblemKind.PayloadChecksumMismatch =>
                "has a record whose data checksum does not match (the file is damaged)",
            EventFileProblemKind.InvalidEvent =>
                "has a record that is not a valid TensorBoard Event" + (detail is null ? string.Empty : $" ({detail})"),
            EventFileProblemKind.InvalidPluginData =>
                "has an hparams summary whose plugin data is not a valid HParamsPluginData message" + (detail is null ? string.Empty : $" ({detail})"),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
        string advice = kind switch
        {
            EventFileProblemKind.TruncatedRecord => string.Empty,
            EventFileProblemKind.InvalidPluginData => ". That summary is skipped (TensorBoard's HParams dashboard cannot read it either); write the run's hparams again with SummaryWriter.HParams",
            _ => ". TensorBoard stops reading this file here; read with CorruptRecordHandling.SkipRestOfFile to do the same, or restore the file from a copy",
        };
        return new EventFileProblem(path, offset, kind, $"Event file '{path}' {what} at byte offset {offset}{advice}.");
    }
}
