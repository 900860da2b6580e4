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

        var repeated = new ScalarEventEncoder.Template(tagBytes);
        var exact = new byte[ScalarEventEncoder.GetRepeatedLength(repeated.Length, step, wallTime.Get)];
        ScalarEventEncoder.EncodeRepeated(exact, repeated, value, step, wallTime.Get);

        // With room after the event the fixed part is copied in whole vectors: the event's bytes must not change.
        var roomy = new byte[exact.Length + ScalarEventEncoder.Template.CopySlack];
        ScalarEventEncoder.EncodeRepeated(roomy, repeated, value, step, wallTime.Get);

        return (exact.AsSpan().SequenceEqual(expected) && roomy.AsSpan(0, exact.Length).SequenceEqual(expected))
            .Label($"expected {Convert.ToHexString(expected)}, got {Convert.ToHexString(exact)} and {Convert.ToHexString(roomy)}");
    }

    [Test]
    public void Varint_lengths_agree_with_protobuf_at_every_bit_width()
    {
        var values = Enumerable.Range(0, 64).SelectMany(bit => new[] { 1UL << bit, (1UL << bit) - 1, (1UL << bit) + 1 }).Append(ulong.MaxValue).Append(0UL);

        Assert.That(values.Select(ScalarEventEncoder.VarintLength), Is.EqualTo(values.Select(Google.Protobuf.CodedOutputStream.ComputeRawVarint64Size)));
    }

    [Test]
    public void A_repeated_event_needs_its_whole_length()
    {
        var repeated = new ScalarEventEncoder.Template("loss"u8);
        var tooShort = new byte[ScalarEventEncoder.GetRepeatedLength(repeated.Length, 1, 1.5) - 1];

        var error = Assert.Throws<ArgumentException>(() => ScalarEventEncoder.EncodeRepeated(tooShort, repeated, 1f, 1, 1.5));

        Assert.That(error!.Message, Does.Contain($"does not fit in {tooShort.Length}"));
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
