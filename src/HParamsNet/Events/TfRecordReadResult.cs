namespace HParamsNet.Events;

/// <summary>What <see cref="TfRecordReader.ReadNext"/> found at the reader's position.</summary>
internal enum TfRecordReadResult
{
    /// <summary>A whole record whose checksums match.</summary>
    Record = 0,

    /// <summary>No bytes left: the stream ends exactly after the previous record.</summary>
    EndOfData = 1,

    /// <summary>
    /// The stream ends inside a record: a file still being written, or cut off by a crash. The
    /// position stays at the record's first byte, so reading again later picks it up once complete.
    /// </summary>
    Truncated = 2,

    /// <summary>The length's checksum does not match: nothing after this point can be framed.</summary>
    LengthChecksumMismatch = 3,

    /// <summary>The payload's checksum does not match; the reader has moved past the record.</summary>
    PayloadChecksumMismatch = 4,
}
