using System.Buffers.Binary;

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
    /// <see cref="RepeatedPart"/>; <paramref name="destination"/> must be exactly <see cref="GetRepeatedLength"/> bytes.
    /// </summary>
    public static void EncodeRepeated(Span<byte> destination, ReadOnlySpan<byte> repeatedPart, float value, long step, double wallTime)
    {
        int at = 0;
        if (wallTime != 0)
        {
            destination[0] = WallTimeKey;
            BinaryPrimitives.WriteDoubleLittleEndian(destination[1..], wallTime);
            at = 9;
        }

        if (step != 0)
        {
            destination[at++] = StepKey;
            at += WriteVarint(destination[at..], (ulong)step);
        }

        repeatedPart.CopyTo(destination[at..]);
        BinaryPrimitives.WriteSingleLittleEndian(destination[(at + repeatedPart.Length)..], value);
    }

    private static int ValueLength(int tagLength, int metadataLength) =>
        1 + VarintLength((ulong)tagLength) + tagLength
        + 2 + TensorLength
        + (metadataLength > 0 ? 1 + VarintLength((ulong)metadataLength) + metadataLength : 0);

    internal static int VarintLength(ulong value)
    {
        int length = 1;
        while (value >= 0x80)
        {
            value >>= 7;
            length++;
        }

        return length;
    }

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
}
