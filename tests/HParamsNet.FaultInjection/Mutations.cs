using Google.Protobuf;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Summaries;

namespace HParamsNet.FaultInjection;

/// <summary>
/// Ways to damage an event file: at random (flips, cuts, garbage), and behind valid checksums
/// (records re-framed after their payload changed, hparams content replaced), which is what a
/// reader cannot catch with a CRC.
/// </summary>
internal static class Mutations
{
    public static readonly string[] Names =
        ["flip bits", "truncate", "overwrite range", "insert bytes", "duplicate tail", "append garbage", "reframe payload", "garbage plugin content", "drop a record", "swap records"];

    public static byte[] Apply(byte[] original, int kind, Random random) => kind switch
    {
        0 => FlipBits(original, random),
        1 => original[..random.Next(0, original.Length)],
        2 => OverwriteRange(original, random),
        3 => Insert(original, random),
        4 => [.. original, .. original[random.Next(0, original.Length)..]],
        5 => [.. original, .. RandomBytes(random, random.Next(1, 64))],
        6 => Reframed(original, random, MutatePayload),
        7 => Reframed(original, random, GarbagePluginContent),
        8 => Records(original, records => records.RemoveAt(random.Next(records.Count))),
        _ => Records(original, records =>
        {
            int a = random.Next(records.Count);
            int b = random.Next(records.Count);
            (records[a], records[b]) = (records[b], records[a]);
        }),
    };

    private static byte[] FlipBits(byte[] original, Random random)
    {
        byte[] copy = [.. original];
        for (int i = random.Next(1, 4); i > 0 && copy.Length > 0; i--)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static byte[] OverwriteRange(byte[] original, Random random)
    {
        byte[] copy = [.. original];
        int start = random.Next(copy.Length);
        int length = Math.Min(random.Next(1, 32), copy.Length - start);
        random.NextBytes(copy.AsSpan(start, length));
        return copy;
    }

    private static byte[] Insert(byte[] original, Random random)
    {
        int at = random.Next(original.Length + 1);
        return [.. original[..at], .. RandomBytes(random, random.Next(1, 32)), .. original[at..]];
    }

    private static byte[] RandomBytes(Random random, int count)
    {
        byte[] bytes = new byte[count];
        random.NextBytes(bytes);
        return bytes;
    }

    // One record's payload changed, then framed again with correct checksums.
    private static byte[] Reframed(byte[] original, Random random, Func<byte[], Random, byte[]> mutate) =>
        Records(original, records =>
        {
            int at = random.Next(records.Count);
            records[at] = mutate(records[at], random);
        });

    private static byte[] MutatePayload(byte[] payload, Random random) => random.Next(3) switch
    {
        0 => FlipBits(payload, random),
        1 => payload[..random.Next(0, payload.Length + 1)],
        _ => OverwriteRange(payload.Length == 0 ? [0] : payload, random),
    };

    // An event's hparams (or any plugin's) content replaced by random bytes: valid frame, valid event.
    private static byte[] GarbagePluginContent(byte[] payload, Random random)
    {
        Event evt;
        try
        {
            evt = Event.Parser.ParseFrom(payload);
        }
        catch (InvalidProtocolBufferException)
        {
            return payload;
        }

        foreach (Summary.Types.Value value in evt.Summary?.Value ?? [])
        {
            value.Metadata ??= new SummaryMetadata();
            value.Metadata.PluginData ??= new SummaryMetadata.Types.PluginData { PluginName = HParamsSummaries.PluginName };
            value.Metadata.PluginData.Content = ByteString.CopyFrom(RandomBytes(random, random.Next(0, 24)));
        }

        return evt.ToByteArray();
    }

    // The file as records (payloads), changed, framed again; a file that does not parse is kept.
    private static byte[] Records(byte[] original, Action<List<byte[]>> change)
    {
        var records = new List<byte[]>();
        using (var reader = new TfRecordReader(new MemoryStream(original), verifyPayloadChecksum: false))
        {
            while (reader.ReadNext(out ReadOnlySpan<byte> payload) == TfRecordReadResult.Record)
            {
                records.Add(payload.ToArray());
            }
        }

        if (records.Count == 0)
        {
            return original;
        }

        change(records);
        var output = new MemoryStream();
        foreach (byte[] payload in records)
        {
            byte[] frame = new byte[payload.Length + TfRecordFormat.HeaderLength + TfRecordFormat.FooterLength];
            payload.CopyTo(frame.AsSpan(TfRecordFormat.HeaderLength));
            TfRecordFormat.FrameInPlace(frame);
            output.Write(frame);
        }

        return output.ToArray();
    }
}
