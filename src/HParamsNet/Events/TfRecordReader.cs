using System.Buffers;
using System.Buffers.Binary;

namespace HParamsNet.Events;

/// <summary>
/// Reads TFRecord frames from a stream, checking both masked CRCs. Never reads past the data it
/// was given, never allocates more than one record's worth of buffer, and returns a
/// <see cref="TfRecordReadResult"/> instead of throwing for damaged or incomplete data.
/// </summary>
/// <remarks>Not thread-safe. A payload span is valid until the next call.</remarks>
internal sealed class TfRecordReader : IDisposable
{
    private const int DefaultBufferSize = 64 * 1024;

    // A payload longer than this cannot be held in one array; such a length is treated as damage.
    private const long MaxPayloadLength = int.MaxValue - 64 - TfRecordFormat.HeaderLength - TfRecordFormat.FooterLength;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private byte[] _buffer;
    private byte[]? _rented;
    private int _start;
    private int _end;
    private bool _disposed;

    /// <summary>Creates a reader over <paramref name="stream"/>, starting at its current position.</summary>
    /// <param name="stream">A readable stream positioned at the first byte of a record.</param>
    /// <param name="verifyPayloadChecksum">Whether to check each payload's CRC (the length's CRC is always checked).</param>
    /// <param name="leaveOpen">Whether disposing the reader leaves <paramref name="stream"/> open.</param>
    public TfRecordReader(Stream stream, bool verifyPayloadChecksum = true, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead)
        {
            throw new ArgumentException("The stream must be readable.", nameof(stream));
        }

        _stream = stream;
        _leaveOpen = leaveOpen;
        VerifyPayloadChecksum = verifyPayloadChecksum;
        // Rented: a log directory of many small runs opens a reader per file, and a fresh 64 KiB
        // array each time was a tenth of `hparams compare`'s time (zeroing and collecting them).
        _buffer = _rented = ArrayPool<byte>.Shared.Rent(DefaultBufferSize);
        Position = stream.CanSeek ? stream.Position : 0;
    }

    /// <summary>Whether payload CRCs are checked.</summary>
    public bool VerifyPayloadChecksum { get; }

    /// <summary>Stream offset of the next record to read (the first byte of its header).</summary>
    public long Position { get; private set; }

    /// <summary>Stream offset of the record the last call returned or stopped at.</summary>
    public long LastRecordOffset { get; private set; }

    /// <summary>Reads the next record.</summary>
    /// <param name="payload">The record's payload when the result is <see cref="TfRecordReadResult.Record"/>; empty otherwise.</param>
    /// <returns>What was found; see <see cref="TfRecordReadResult"/>.</returns>
    public TfRecordReadResult ReadNext(out ReadOnlySpan<byte> payload)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        payload = default;
        LastRecordOffset = Position;

        if (!Fill(TfRecordFormat.HeaderLength))
        {
            return _end == _start ? TfRecordReadResult.EndOfData : TfRecordReadResult.Truncated;
        }

        ReadOnlySpan<byte> header = _buffer.AsSpan(_start, TfRecordFormat.HeaderLength);
        ulong length = BinaryPrimitives.ReadUInt64LittleEndian(header);
        uint lengthCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        if (MaskedCrc32C.ComputeMasked(header[..8]) != lengthCrc)
        {
            return TfRecordReadResult.LengthChecksumMismatch;
        }

        if (length > MaxPayloadLength)
        {
            // The length is genuine (its CRC matched) but no file we could read holds that much.
            return StreamCannotHold(long.MaxValue) ? TfRecordReadResult.Truncated : TfRecordReadResult.LengthChecksumMismatch;
        }

        int total = (int)length + TfRecordFormat.HeaderLength + TfRecordFormat.FooterLength;
        // Asking a seekable stream its length is a system call: only when the buffer runs short.
        if (_end - _start < total && (StreamCannotHold(total) || !Fill(total)))
        {
            return TfRecordReadResult.Truncated;
        }

        ReadOnlySpan<byte> record = _buffer.AsSpan(_start, total);
        ReadOnlySpan<byte> body = record.Slice(TfRecordFormat.HeaderLength, (int)length);
        _start += total;
        Position += total;

        if (VerifyPayloadChecksum
            && MaskedCrc32C.ComputeMasked(body) != BinaryPrimitives.ReadUInt32LittleEndian(record[^TfRecordFormat.FooterLength..]))
        {
            return TfRecordReadResult.PayloadChecksumMismatch;
        }

        payload = body;
        return TfRecordReadResult.Record;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ReturnRented();

        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    private void ReturnRented()
    {
        if (_rented is not null)
        {
            ArrayPool<byte>.Shared.Return(_rented);
            _rented = null;
        }
    }

    // True when a seekable stream provably ends before a record of 'total' bytes could: no
    // buffer is grown for a length that the file cannot contain.
    private bool StreamCannotHold(long total)
    {
        if (!_stream.CanSeek)
        {
            return false;
        }

        long available = _end - _start + (_stream.Length - _stream.Position);
        return available < total;
    }

    // Makes at least 'count' bytes available from _start; false when the stream ends first.
    private bool Fill(int count)
    {
        if (_end - _start >= count)
        {
            return true;
        }

        if (count > _buffer.Length)
        {
            var larger = new byte[Math.Max(count, (int)Math.Min(Array.MaxLength, 2L * _buffer.Length))];
            Buffer.BlockCopy(_buffer, _start, larger, 0, _end - _start);
            _end -= _start;
            _start = 0;
            ReturnRented();

            _buffer = larger;
        }
        else if (_buffer.Length - _start < count)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        while (_end - _start < count)
        {
            int read = _stream.Read(_buffer, _end, _buffer.Length - _end);
            if (read == 0)
            {
                return false;
            }

            _end += read;
        }

        return true;
    }
}
