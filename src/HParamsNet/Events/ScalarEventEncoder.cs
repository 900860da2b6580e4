using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace HParamsNet.Events;

/// <summary>
/// Encodes a scalar event straight into bytes, without building messages: the writer's hot path.
/// The bytes equal Google.Protobuf's serialisation of
/// <c>Event { wall_time, step, summary { value { tag, tensor { DT_FLOAT, shape {}, float_val }, metadata? } } }</c>
/// (fields in number order, zero-valued scalars omitted, as proto3 writes them).
/// </summary>
internal static class ScalarEventEncoder
{
    // Field keys: (field number << 3) | wire type.
    private const byte WallTimeKey = (1 << 3) | 1;  // double
    private const byte StepKey = (2 << 3) | 0;      // varint
    private const byte SummaryKey = (5 << 3) | 2;   // message
    private const byte ValueKey = (1 << 3) | 2;     // Summary.value
    private const byte TagKey = (1 << 3) | 2;       // Value.tag
    private const byte TensorKey = (8 << 3) | 2;    // Value.tensor
    private const byte MetadataKey = (9 << 3) | 2;  // Value.metadata

    // TensorProto { dtype: DT_FLOAT, tensor_shape: {}, float_val: [v] (packed) }, value bytes last.
    private const int TensorLength = 10;

    /// <summary>The encoded length of such an event.</summary>
    public static int GetLength(int tagLength, int metadataLength, long step, double wallTime)
    {
        int valueLength = ValueLength(tagLength, metadataLength);
        int summaryLength = 1 + VarintLength((ulong)valueLength) + valueLength;
        return (wallTime != 0 ? 9 : 0)
            + (step != 0 ? 1 + VarintLength((ulong)step) : 0)
            + 1 + VarintLength((ulong)summaryLength) + summaryLength;
    }

    /// <summary>Writes the event into <paramref name="destination"/>, which must be exactly <see cref="GetLength"/> bytes.</summary>
    public static void Encode(Span<byte> destination, ReadOnlySpan<byte> tagUtf8, ReadOnlySpan<byte> metadata, float value, long step, double wallTime)
    {
        int valueLength = ValueLength(tagUtf8.Length, metadata.Length);
        int summaryLength = 1 + VarintLength((ulong)valueLength) + valueLength;
        int at = 0;

        if (wallTime != 0)
        {
            destination[at++] = WallTimeKey;
            BinaryPrimitives.WriteDoubleLittleEndian(destination[at..], wallTime);
            at += 8;
        }

        if (step != 0)
        {
            destination[at++] = StepKey;
            at += WriteVarint(destination[at..], (ulong)step);
        }

        destination[at++] = SummaryKey;
        at += WriteVarint(destination[at..], (ulong)summaryLength);
        destination[at++] = ValueKey;
        at += WriteVarint(destination[at..], (ulong)valueLength);

        destination[at++] = TagKey;
        at += WriteVarint(destination[at..], (ulong)tagUtf8.Length);
        tagUtf8.CopyTo(destination[at..]);
        at += tagUtf8.Length;

        destination[at++] = TensorKey;
        destination[at++] = TensorLength;
        destination[at++] = (1 << 3) | 0; // dtype
        destination[at++] = 1;            // DT_FLOAT
        destination[at++] = (2 << 3) | 2; // tensor_shape
        destination[at++] = 0;            // empty: rank 0
        destination[at++] = (5 << 3) | 2; // float_val, packed
        destination[at++] = sizeof(float);
        BinaryPrimitives.WriteSingleLittleEndian(destination[at..], value);
        at += sizeof(float);

        if (!metadata.IsEmpty)
        {
            destination[at++] = MetadataKey;
            at += WriteVarint(destination[at..], (ulong)metadata.Length);
            metadata.CopyTo(destination[at..]);
            at += metadata.Length;
        }

        if (at != destination.Length)
        {
            throw new InvalidOperationException($"Scalar event encoded to {at} bytes, expected {destination.Length}.");
        }
    }

    /// <summary>
    /// The part of a tag's events without metadata that is the same in every one: from the summary
    /// field to the float value's length byte. Computed once per tag, it makes each later event a
    /// copy plus the time, step and value (<see cref="EncodeRepeated"/>).
    /// </summary>
    public static byte[] RepeatedPart(ReadOnlySpan<byte> tagUtf8)
    {
        // An event at step 0 and time 0 has neither field (proto3 omits zeros): what is left is
        // exactly the repeated part, then the value's four bytes.
        var whole = new byte[GetLength(tagUtf8.Length, 0, step: 0, wallTime: 0)];
        Encode(whole, tagUtf8, default, 0f, step: 0, wallTime: 0);
        return whole[..^sizeof(float)];
    }

    /// <summary>The encoded length of an event built from <see cref="RepeatedPart"/>.</summary>
    public static int GetRepeatedLength(int repeatedPartLength, long step, double wallTime) =>
        (wallTime != 0 ? 9 : 0) + (step != 0 ? 1 + VarintLength((ulong)step) : 0) + repeatedPartLength + sizeof(float);

    /// <summary>
    /// Writes the same bytes as <see cref="Encode"/> with no metadata, from the tag's
    /// <see cref="RepeatedPart"/>, at the start of <paramref name="destination"/>, which holds at
    /// least <see cref="GetRepeatedLength"/> bytes. When it holds <see cref="Template.CopySlack"/>
    /// more, up to that many bytes after the event may be overwritten.
    /// </summary>
    public static void EncodeRepeated(Span<byte> destination, Template repeated, float value, long step, double wallTime)
    {
        int length = GetRepeatedLength(repeated.Length, step, wallTime);
        if ((uint)destination.Length < (uint)length)
        {
            ThrowTooShort(length, destination);
        }

        // Bounds checked once above; the writes below stay inside 'length' bytes (the copy inside
        // length + CopySlack, checked where it is used). This is the hottest code of the library.
        ref byte at = ref MemoryMarshal.GetReference(destination);
        int offset = 0;
        if (wallTime != 0)
        {
            at = WallTimeKey;
            BinaryPrimitives.WriteDoubleLittleEndian(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref at, 1), sizeof(double)), wallTime);
            offset = 9;
        }

        if (step != 0)
        {
            Unsafe.Add(ref at, offset++) = StepKey;
            ulong rest = (ulong)step;
            while (rest >= 0x80)
            {
                Unsafe.Add(ref at, offset++) = (byte)(rest | 0x80);
                rest >>= 7;
            }

            Unsafe.Add(ref at, offset++) = (byte)rest;
        }

        ref byte fixedPart = ref Unsafe.Add(ref at, offset);
        byte[] padded = repeated.Padded;
        if (destination.Length - offset >= padded.Length)
        {
            // Whole 16-byte pieces instead of a call to memmove for some 20-40 bytes: what lies
            // past the event is overwritten by the value, the record's footer or the next record.
            ref byte source = ref MemoryMarshal.GetArrayDataReference(padded);
            for (int piece = 0; piece < padded.Length; piece += Vector128<byte>.Count)
            {
                Vector128.LoadUnsafe(ref source, (nuint)piece).StoreUnsafe(ref fixedPart, (nuint)piece);
            }
        }
        else
        {
            padded.AsSpan(0, repeated.Length).CopyTo(MemoryMarshal.CreateSpan(ref fixedPart, repeated.Length));
        }

        BinaryPrimitives.WriteSingleLittleEndian(MemoryMarshal.CreateSpan(ref Unsafe.Add(ref fixedPart, repeated.Length), sizeof(float)), value);
    }

    // Out of line, as every throw on the hot path: inlined, the message's building would cost each call a larger frame.
    [DoesNotReturn]
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowTooShort(int length, ReadOnlySpan<byte> destination) =>
        throw new ArgumentException($"A scalar event of {length} bytes does not fit in {destination.Length}.", nameof(destination));

    private static int ValueLength(int tagLength, int metadataLength) =>
        1 + VarintLength((ulong)tagLength) + tagLength
        + 2 + TensorLength
        + (metadataLength > 0 ? 1 + VarintLength((ulong)metadataLength) + metadataLength : 0);

    // 7 bits a byte: 1 + floor(log2(value) / 7), without a loop (x * 9 / 64 is x / 7 for x < 64).
    internal static int VarintLength(ulong value) => ((BitOperations.Log2(value | 1) * 9) + 73) >> 6;

    private static int WriteVarint(Span<byte> destination, ulong value)
    {
        int at = 0;
        while (value >= 0x80)
        {
            destination[at++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[at++] = (byte)value;
        return at;
    }

    /// <summary>
    /// A tag's <see cref="RepeatedPart"/> padded with zeros to whole 16-byte pieces, so that
    /// <see cref="EncodeRepeated"/> copies it as vectors.
    /// </summary>
    public sealed class Template
    {
        /// <summary>The bytes after an event that <see cref="EncodeRepeated"/> may overwrite when there is room.</summary>
        public const int CopySlack = 16;

        /// <summary>Makes the template of <paramref name="tagUtf8"/>'s events.</summary>
        public Template(ReadOnlySpan<byte> tagUtf8)
        {
            byte[] exact = RepeatedPart(tagUtf8);
            Length = exact.Length;
            Padded = new byte[(exact.Length + CopySlack - 1) / CopySlack * CopySlack];
            exact.CopyTo(Padded, 0);
        }

        /// <summary>The repeated part's length.</summary>
        public int Length { get; }

        /// <summary>The repeated part, then zeros to a multiple of 16 bytes.</summary>
        public byte[] Padded { get; }
    }
}
