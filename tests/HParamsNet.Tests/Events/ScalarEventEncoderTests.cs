using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Protos;

namespace HParamsNet.Tests.Events;

public class ScalarEventEncoderTests
{
    /// <summary>The hand-written hot path must serialise exactly as Google.Protobuf does.</summary>
    [FsCheck.NUnit.Property(MaxTest = 1000)]
    public Property Encodes_like_google_protobuf(NonEmptyString tag, float value, long step, NormalFloat wallTime, bool withMetadata, string? description)
    {
        SummaryMetadata? metadata = withMetadata ? ScalarSummaries.Metadata(description: description ?? string.Empty) : null;
        var expected = new Event
        {
            WallTime = wallTime.Get,
            Step = step,
            Summary = ScalarSummaries.Scalar(tag.Get, value, metadata),
        }.ToByteArray();

        byte[] tagBytes = System.Text.Encoding.UTF8.GetBytes(tag.Get);
        byte[] metadataBytes = metadata?.ToByteArray() ?? [];
        var actual = new byte[ScalarEventEncoder.GetLength(tagBytes.Length, metadataBytes.Length, step, wallTime.Get)];
        ScalarEventEncoder.Encode(actual, tagBytes, metadataBytes, value, step, wallTime.Get);

        return actual.AsSpan().SequenceEqual(expected).Label($"expected {Convert.ToHexString(expected)}, got {Convert.ToHexString(actual)}");
    }

    /// <summary>A tag's later events are a copy of its fixed part plus time, step and value: the same bytes as the full encoder.</summary>
    [FsCheck.NUnit.Property(MaxTest = 1000)]
    public Property Repeated_events_encode_like_the_full_encoder(NonEmptyString tag, float value, long step, NormalFloat wallTime)
    {
        byte[] tagBytes = System.Text.Encoding.UTF8.GetBytes(tag.Get);
        var expected = new byte[ScalarEventEncoder.GetLength(tagBytes.Length, 0, step, wallTime.Get)];
        ScalarEventEncoder.Encode(expected, tagBytes, default, value, step, wallTime.Get);

        byte[] repeated = ScalarEventEncoder.RepeatedPart(tagBytes);
        var actual = new byte[ScalarEventEncoder.GetRepeatedLength(repeated.Length, step, wallTime.Get)];
        ScalarEventEncoder.EncodeRepeated(actual, repeated, value, step, wallTime.Get);

        return actual.AsSpan().SequenceEqual(expected).Label($"expected {Convert.ToHexString(expected)}, got {Convert.ToHexString(actual)}");
    }

    [Test]
    public void Long_tags_need_multi_byte_lengths()
    {
        string tag = new('t', 300);
        var expected = new Event { WallTime = 1.5, Step = 1L << 40, Summary = ScalarSummaries.Scalar(tag, 1f, ScalarSummaries.Metadata()) }.ToByteArray();
        byte[] tagBytes = System.Text.Encoding.UTF8.GetBytes(tag);
        byte[] metadata = ScalarSummaries.Metadata().ToByteArray();
        var actual = new byte[ScalarEventEncoder.GetLength(tagBytes.Length, metadata.Length, 1L << 40, 1.5)];

        ScalarEventEncoder.Encode(actual, tagBytes, metadata, 1f, 1L << 40, 1.5);

        Assert.That(actual, Is.EqualTo(expected));
    }
}
