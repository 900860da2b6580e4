using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using HParamsNet.Events;
using HParamsNet.Summaries;

namespace HParamsNet.Bench;

/// <summary>
/// How close <see cref="SummaryWriter.Scalar(string, double, long)"/> comes to the limit of this
/// machine for scalar events, measured in one process with the two interleaved:
/// <list type="bullet">
/// <item>the limit writer: the least work any correct writer of these events does (stamp the wall
/// time, lay the step and value into a fixed template of the record, the two CRC-32Cs, append to a
/// 64 KiB buffer, hand full buffers to the file), with no checks, no locks and one tag;</item>
/// <item>the byte copy: the same file's bytes, encoded beforehand, written in 64 KiB pieces (the
/// page cache's speed; no writer that encodes can reach it);</item>
/// <item>and, to show where SummaryWriter's time goes, its encoder alone and with a lock per event.</item>
/// </list>
/// </summary>
internal static class ScalarIoLimit
{
    private const int BufferSize = 64 * 1024;

    public static void Run(string[] args)
    {
        int events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000_000;
        int rounds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 9;
        string dir = Path.Combine(Path.GetTempPath(), "hparamsnet-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            Console.WriteLine($"# Scalar events against the I/O limit — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            Console.WriteLine($"Machine: {MachineInfo.Describe()}");
            Console.WriteLine($"{events:N0} events per write, {rounds} interleaved rounds after a warm-up; medians.");
            Console.WriteLine();

            byte[] fileBytes = File.ReadAllBytes(WriteWithSummaryWriter(dir, events));
            Clear(dir);
            var writer = new List<double>();
            var limit = new List<double>();
            var copy = new List<double>();
            var ratios = new List<double>();
            var encoderRatios = new List<double>();
            var lockedRatios = new List<double>();
            var vectorRatios = new List<double>();
            for (int round = -1; round < rounds; round++)
            {
                double w = Rate(events, () => WriteWithSummaryWriter(dir, events));
                double l = Rate(events, () => WriteWithLimitWriter(dir, events));
                double c = Rate(events, () => WriteBytes(dir, fileBytes));
                double v = Rate(events, () => WriteWithLimitWriter(dir, events, shortcuts: true));

                if (round < 0)
                {
                    CheckSameScalars(dir);
                }

                double e = Rate(events, () => WriteWithEncoder(dir, events, lockPerEvent: false));
                double el = Rate(events, () => WriteWithEncoder(dir, events, lockPerEvent: true));
                Clear(dir);

                if (round < 0)
                {
                    continue; // warm-up
                }

                writer.Add(w);
                limit.Add(l);
                copy.Add(c);
                ratios.Add(w / l);
                encoderRatios.Add(e / l);
                lockedRatios.Add(el / l);
                vectorRatios.Add(w / v);
                Console.WriteLine($"round {round + 1}: SummaryWriter.Scalar {w:N0}/s, limit writer {l:N0}/s, byte copy {c:N0}/s, encoder alone {e:N0}/s, with a lock per event {el:N0}/s, limit writer with the shortcuts {v:N0}/s; SummaryWriter/limit {w / l:F2}");
            }

            Console.WriteLine();
            Console.WriteLine("| what | events/s (median) | vs the limit writer |");
            Console.WriteLine("|---|---:|---:|");
            Console.WriteLine($"| `SummaryWriter.Scalar` | {Median(writer):N0} | {Median(ratios):F2}x (median of the rounds' ratios; lowest {ratios.Min():F2}x) |");
            Console.WriteLine($"| the writer's encoder alone: one lock for the whole run, no tag checks | - | {Median(encoderRatios):F2}x |");
            Console.WriteLine($"| the same with a lock per event (what thread safety costs) | - | {Median(lockedRatios):F2}x |");
            Console.WriteLine($"| limit writer (template, CRC-32C, 64 KiB buffer) | {Median(limit):N0} | 1.00x |");
            Console.WriteLine($"| SummaryWriter.Scalar against the limit writer with SummaryWriter's shortcuts (16-byte copies, one-instruction header CRC) | - | {Median(vectorRatios):F2}x |");
            Console.WriteLine($"| byte copy of the same file (64 KiB writes) | {Median(copy):N0} | {Median(copy) / Median(limit):F2}x |");
            Console.WriteLine();
            Console.WriteLine($"File: {fileBytes.Length / (double)events:F1} bytes per event.");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    // The limit writer must write what a reader takes for the same scalars, or it proves nothing.
    private static void CheckSameScalars(string dir)
    {
        string ours = Directory.EnumerateFiles(dir, "*tfevents*", SearchOption.AllDirectories).Single();
        var expected = EventFileReader.ReadScalars(ours).Select(s => (s.Tag, s.Step, s.Value)).ToList();
        foreach (string limit in Directory.EnumerateFiles(dir, "limit-*").Concat(Directory.EnumerateFiles(dir, "vector-*")))
        {
            var actual = EventFileReader.ReadScalars(limit).Select(s => (s.Tag, s.Step, s.Value)).ToList();
            if (!expected.SequenceEqual(actual))
            {
                throw new InvalidOperationException($"The limit writer's {actual.Count} scalars in '{Path.GetFileName(limit)}' differ from SummaryWriter's {expected.Count}.");
            }
        }
    }

    private static void Clear(string dir)
    {
        foreach (string entry in Directory.EnumerateFileSystemEntries(dir))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    private static double Rate(int events, Action write)
    {
        var watch = Stopwatch.StartNew();
        write();
        return events / watch.Elapsed.TotalSeconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }

    private static string WriteWithSummaryWriter(string dir, int events)
    {
        string run = Path.Combine(dir, "summary-" + Guid.NewGuid().ToString("N"));
        using var writer = SummaryWriter.Create(run);
        for (int step = 1; step <= events; step++)
        {
            writer.Scalar("loss", 1.0 / step, step);
        }

        return writer.FilePath;
    }

    // The same records (from step 1, so every event carries a step) built from a template: the
    // fixed bytes of "loss", the scalars plugin's metadata on the first, the variable ones patched in.
    // With shortcuts, SummaryWriter's two: the fixed bytes of every event after the first copied
    // in two 16-byte pieces, and the length header's CRC as one instruction. The limit they move.
    private static void WriteWithLimitWriter(string dir, int events, bool shortcuts = false)
    {
        string path = Path.Combine(dir, (shortcuts ? "vector-" : "limit-") + Guid.NewGuid().ToString("N"));
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        byte[] buffer = new byte[BufferSize + 32];
        byte[] fixedPart = new byte[32];
        byte[] fixedExact = [0x2A, 2 + 18, 0x0A, 18, 0x0A, 4, .. "loss"u8, 0x42, 10, 0x08, 1, 0x12, 0, 0x2A, 4];
        fixedExact.CopyTo(fixedPart, 0);
        int fixedLength = fixedExact.Length;
        int used = 0;
        ReadOnlySpan<byte> tag = "loss"u8;
        byte[] metadata = Google.Protobuf.MessageExtensions.ToByteArray(ScalarSummaries.Metadata());
        for (int step = 1; step <= events; step++)
        {
            double wallTime = (DateTime.UtcNow.Ticks - DateTime.UnixEpoch.Ticks) / (double)TimeSpan.TicksPerSecond;
            int stepLength = ScalarEventEncoder.VarintLength((ulong)step);
            ReadOnlySpan<byte> first = step == 1 ? metadata : default;
            int valueLength = 2 + tag.Length + 12 + (first.IsEmpty ? 0 : 2 + first.Length);
            int payloadLength = 9 + 1 + stepLength + 2 + 2 + valueLength;
            int total = payloadLength + 16;
            if (BufferSize - used < total)
            {
                file.Write(buffer, 0, used);
                used = 0;
            }

            Span<byte> record = buffer.AsSpan(used, total);
            BinaryPrimitives.WriteUInt64LittleEndian(record, (ulong)payloadLength);
            BinaryPrimitives.WriteUInt32LittleEndian(record[8..], shortcuts ? MaskedCrc32C.ComputeMasked((ulong)payloadLength) : MaskedCrc32C.ComputeMasked(record[..8]));
            Span<byte> p = record.Slice(12, payloadLength);
            p[0] = 0x09;
            BinaryPrimitives.WriteDoubleLittleEndian(p[1..], wallTime);
            p[9] = 0x10;
            int at = 10;
            ulong v = (ulong)step;
            while (v >= 0x80)
            {
                p[at++] = (byte)(v | 0x80);
                v >>= 7;
            }

            p[at++] = (byte)v;
            if (shortcuts && first.IsEmpty)
            {
                // The same fixed bytes in two 16-byte pieces (the buffer has room past its end).
                ref byte source = ref MemoryMarshal.GetArrayDataReference(fixedPart);
                ref byte target = ref p[at];
                Vector128.LoadUnsafe(ref source).StoreUnsafe(ref target);
                Vector128.LoadUnsafe(ref source, 16).StoreUnsafe(ref target, 16);
                at += fixedLength;
            }
            else
            {
                p[at++] = 0x2A;
                p[at++] = (byte)(2 + valueLength);
                p[at++] = 0x0A;
                p[at++] = (byte)valueLength;
                p[at++] = 0x0A;
                p[at++] = (byte)tag.Length;
                tag.CopyTo(p[at..]);
                at += tag.Length;
                ReadOnlySpan<byte> tensor = [0x42, 10, 0x08, 1, 0x12, 0, 0x2A, 4];
                tensor.CopyTo(p[at..]);
                at += tensor.Length;
            }

            BinaryPrimitives.WriteSingleLittleEndian(p[at..], (float)(1.0 / step));
            if (!first.IsEmpty)
            {
                at += sizeof(float);
                p[at++] = 0x4A;
                p[at++] = (byte)first.Length;
                first.CopyTo(p[at..]);
            }

            BinaryPrimitives.WriteUInt32LittleEndian(record[(12 + payloadLength)..], MaskedCrc32C.ComputeMasked(p));
            used += total;
        }

        file.Write(buffer, 0, used);
    }

    // SummaryWriter's own encoder and buffer, without its per-tag checks, with one lock for the
    // whole run or one per event: where the time of SummaryWriter.Scalar goes.
    private static void WriteWithEncoder(string dir, int events, bool lockPerEvent)
    {
        using var writer = EventFileWriter.Create(Path.Combine(dir, "encoder-" + Guid.NewGuid().ToString("N")));
        var series = new EventFileWriter.ScalarSeries("loss", null);
        if (lockPerEvent)
        {
            for (int step = 1; step <= events; step++)
            {
                using (writer.Gate.Enter())
                {
                    writer.WriteScalarHoldingLock(series, (float)(1.0 / step), step, writer.Now());
                }
            }

            return;
        }

        using (writer.Gate.Enter())
        {
            for (int step = 1; step <= events; step++)
            {
                writer.WriteScalarHoldingLock(series, (float)(1.0 / step), step, writer.Now());
            }
        }
    }

    private static void WriteBytes(string dir, byte[] bytes)
    {
        string path = Path.Combine(dir, "copy-" + Guid.NewGuid().ToString("N"));
        using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
        for (int at = 0; at < bytes.Length; at += BufferSize)
        {
            file.Write(bytes, at, Math.Min(BufferSize, bytes.Length - at));
        }
    }
}
