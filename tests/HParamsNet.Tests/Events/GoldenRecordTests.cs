using Google.Protobuf;
using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Summaries;

namespace HParamsNet.Tests.Events;

/// <summary>The complete records of spec §1.4, written by an encoder independent of TensorBoard.</summary>
public class GoldenRecordTests
{
    private const string R1 =
        "18000000000000 00a37f4b22" +
        "0900000040fc54d9411a0d627261696e2e4576656e743a32" +
        "eced8f9d";

    private const string R2 =
        "3000000000000000 95f5d05f" +
        "090000604 0fc54d941 1001 2a230a210a046c6f7373" +
        "420a08011200 2a040000803e" +
        "4a0d0a090a077363616c6172732001" +
        "b093f8a9";

    private const string R3 =
        "2100000000000000 017becf6" +
        "09000 0a040fc54d941 1002 2a140a120a046c6f7373420a080112002a0400000 03e" +
        "132eaf7c";

    private const string R4 =
        "5500000000000000 d7df0fc1" +
        "0900000040fc54d9412a4a0a480a1c5f68706172616d735f2f73657373696f6e5f" +
        "73746172745f696e666f42060801120212004a200a1e0a0768706172616d731213" +
        "1a110a0f0a026c72120911 7b14ae47e17a843f" +
        "2fe1d1fe";

    private static byte[] Hex(string spaced) => Convert.FromHexString(spaced.Replace(" ", string.Empty, StringComparison.Ordinal));

    private static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var record = new byte[payload.Length + TfRecordFormat.HeaderLength + TfRecordFormat.FooterLength];
        payload.CopyTo(record.AsSpan(TfRecordFormat.HeaderLength));
        TfRecordFormat.FrameInPlace(record);
        return record;
    }

    [Test]
    public void R1_file_header()
    {
        var evt = new Event { WallTime = 1700000000.0, FileVersion = "brain.Event:2" };

        Assert.That(Frame(evt.ToByteArray()), Is.EqualTo(Hex(R1)));
    }

    [Test]
    public void R2_scalar_with_metadata_from_the_fast_encoder()
    {
        // R2 carries data_class 1; the encoder writes whatever metadata bytes it is given.
        var metadata = ScalarSummaries.Metadata();
        metadata.DataClass = DataClass.Scalar;
        byte[] tag = "loss"u8.ToArray();
        int length = ScalarEventEncoder.GetLength(tag.Length, metadata.CalculateSize(), 1, 1700000001.5);
        var payload = new byte[length];

        ScalarEventEncoder.Encode(payload, tag, metadata.ToByteArray(), 0.25f, 1, 1700000001.5);

        Assert.That(Frame(payload), Is.EqualTo(Hex(R2)));
    }

    [Test]
    public void R3_scalar_without_metadata_from_the_fast_encoder()
    {
        byte[] tag = "loss"u8.ToArray();
        var payload = new byte[ScalarEventEncoder.GetLength(tag.Length, 0, 2, 1700000002.5)];

        ScalarEventEncoder.Encode(payload, tag, default, 0.125f, 2, 1700000002.5);

        Assert.That(Frame(payload), Is.EqualTo(Hex(R3)));
    }

    [Test]
    public void R4_session_start_from_the_hparams_builder()
    {
        Summary summary = HParamsSummaries.SessionStart(
            new Dictionary<string, object> { ["lr"] = 0.01 }, groupName: "", startTime: DateTimeOffset.UnixEpoch);
        var evt = new Event { WallTime = 1700000000.0, Summary = summary };

        Assert.That(Frame(evt.ToByteArray()), Is.EqualTo(Hex(R4)));
    }

    [Test]
    public void Reader_decodes_the_four_records_in_sequence()
    {
        byte[] file = [.. Hex(R1), .. Hex(R2), .. Hex(R3), .. Hex(R4)];
        using var reader = new TfRecordReader(new MemoryStream(file));
        var payloads = new List<byte[]>();
        while (reader.ReadNext(out ReadOnlySpan<byte> payload) == TfRecordReadResult.Record)
        {
            payloads.Add(payload.ToArray());
        }

        Assert.That(payloads, Has.Count.EqualTo(4));
        Event r2 = Event.Parser.ParseFrom(payloads[1]);
        Assert.Multiple(() =>
        {
            Assert.That(Event.Parser.ParseFrom(payloads[0]).FileVersion, Is.EqualTo("brain.Event:2"));
            Assert.That(r2.Step, Is.EqualTo(1));
            Assert.That(r2.Summary.Value[0].Tag, Is.EqualTo("loss"));
            Assert.That(ScalarSummaries.TryGetValue(r2.Summary.Value[0]), Is.EqualTo(0.25));
            Assert.That(HParamsSummaries.TryParse(Event.Parser.ParseFrom(payloads[3]).Summary.Value[0])!.SessionStartInfo.Hparams["lr"].NumberValue, Is.EqualTo(0.01));
            Assert.That(reader.Position, Is.EqualTo(file.Length));
        });
    }
}
