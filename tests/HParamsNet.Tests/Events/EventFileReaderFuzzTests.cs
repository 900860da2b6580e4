using FsCheck;
using FsCheck.Fluent;
using Google.Protobuf;
using HParamsNet;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Tests.Support;

namespace HParamsNet.Tests.Events;

/// <summary>
/// Damaged files: the reader returns a prefix of the original events and then either ends or
/// throws its documented exception, whatever the damage; it never hangs.
/// </summary>
public class EventFileReaderFuzzTests
{
    private static readonly Lazy<(byte[] Bytes, List<Event> Events)[]> Originals = new(() =>
        new[] { Golden.SingleFile("hparams_basic", "run-0"), Golden.SingleFile("statuses_and_metrics", "success/train"), Golden.SingleFile("hparams_basic", ".") }
            .Select(path => (File.ReadAllBytes(path), EventFileReader.ReadEvents(path).ToList()))
            .ToArray());

    [FsCheck.NUnit.Property(MaxTest = 3000)]
    public Property Mutated_or_truncated_files_yield_a_prefix_or_the_documented_error(int seed, byte fileChoice, PositiveInt mutationCount, bool truncate)
    {
        (byte[] original, List<Event> expected) = Originals.Value[fileChoice % Originals.Value.Length];
        var random = new Random(seed);
        byte[] damaged = (byte[])original.Clone();
        for (int i = 0; i < 1 + (mutationCount.Get % 4); i++)
        {
            int at = random.Next(damaged.Length);
            damaged[at] ^= (byte)random.Next(1, 256);
        }

        if (truncate)
        {
            damaged = damaged[..random.Next(damaged.Length)];
        }

        (List<Event> thrown, bool threw) = Read(damaged, CorruptRecordHandling.Throw);
        (List<Event> skipped, bool skipThrew) = Read(damaged, CorruptRecordHandling.SkipRestOfFile);

        return (IsPrefix(thrown, expected) && IsPrefix(skipped, expected) && !skipThrew && thrown.Count == skipped.Count)
            .Label($"threw={threw}, got {thrown.Count}/{skipped.Count} of {expected.Count}");
    }

    [FsCheck.NUnit.Property(MaxTest = 2000)]
    public Property Random_bytes_end_or_throw_the_documented_error(byte[] bytes)
    {
        (List<Event> _, bool _) = Read(bytes, CorruptRecordHandling.Throw);
        (List<Event> skipped, bool skipThrew) = Read(bytes, CorruptRecordHandling.SkipRestOfFile);
        return (!skipThrew && skipped.Count <= bytes.Length / 16).ToProperty();
    }

    [Test]
    public void A_huge_length_with_a_valid_checksum_is_truncation_not_an_allocation()
    {
        var header = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(header, 1UL << 62);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(8), MaskedCrc32C.ComputeMasked(header.AsSpan(0, 8)));
        using var reader = new TfRecordReader(new MemoryStream(header));

        Assert.That(reader.ReadNext(out _), Is.EqualTo(TfRecordReadResult.Truncated));
    }

    private static bool IsPrefix(List<Event> actual, List<Event> expected) =>
        actual.Count <= expected.Count && actual.Zip(expected).All(pair => pair.First.Equals(pair.Second));

    // Reads through a file, as users do; any exception but CorruptEventFileException fails the property.
    private static (List<Event> Events, bool Threw) Read(byte[] bytes, CorruptRecordHandling handling)
    {
        string path = Path.Combine(Path.GetTempPath(), $"hparamsnet-fuzz-{Environment.CurrentManagedThreadId}-{Guid.NewGuid():N}.tfevents");
        File.WriteAllBytes(path, bytes);
        var events = new List<Event>();
        try
        {
            foreach (Event e in EventFileReader.ReadEvents(path, new EventFileReaderOptions { OnCorruptRecord = handling }))
            {
                events.Add(e);
            }

            return (events, false);
        }
        catch (CorruptEventFileException)
        {
            return (events, true);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
