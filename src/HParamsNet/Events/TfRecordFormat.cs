using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace HParamsNet.Events;

/// <summary>
/// The TFRecord frame: an 8-byte little-endian payload length, the masked CRC-32C of those 8 bytes,
/// the payload, and the masked CRC-32C of the payload.
/// </summary>
internal static class TfRecordFormat
{
    /// <summary>Bytes before the payload: length (8) and its masked CRC (4).</summary>
    public const int HeaderLength = 12;

    /// <summary>Bytes after the payload: its masked CRC.</summary>
    public const int FooterLength = 4;

    /// <summary>Bytes a record of <paramref name="payloadLength"/> bytes takes in a file.</summary>
    public static long FramedLength(long payloadLength) => payloadLength + HeaderLength + FooterLength;

    /// <summary>
    /// Frames a payload that already sits at <c>record[HeaderLength..^FooterLength]</c>: fills in
    /// the header and the footer around it, in place.
    /// </summary>
    /// <param name="record">The whole record: header space, payload, footer space.</param>
    [MethodImpl(MethodImplOptions.AggressiveInlining)] // once per event on the scalar hot path
    public static void FrameInPlace(Span<byte> record)
    {
        int payloadLength = record.Length - HeaderLength - FooterLength;
        if (payloadLength < 0)
        {
            ThrowTooShort(record);
        }

        BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record[8..], MaskedCrc32C.ComputeMasked((ulong)payloadLength));
        Span<byte> payload = record.Slice(HeaderLength, payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(record[(HeaderLength + payloadLength)..], MaskedCrc32C.ComputeMasked(payload));
    }

    // Out of line: this method is inlined into the scalar hot path.
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooShort(ReadOnlySpan<byte> record) =>
        throw new ArgumentException($"A TFRecord needs at least {HeaderLength + FooterLength} bytes of frame; got {record.Length}.", nameof(record));
}
