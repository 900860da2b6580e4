using System.Diagnostics;
using System.Globalization;
using HParamsNet.Events;
using HParamsNet.Protos;
using HParamsNet.Summaries;

namespace HParamsNet.Bench;

/// <summary>
/// Scalar events written and read per second, with the baseline the issue names: a writer that
/// opens the file, appends one record and closes it for every event, as TorchSharp's does.
/// </summary>
internal static class EventThroughput
{
    public static void Run(string[] args)
    {
        int events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2_000_000;
        int baselineEvents = Math.Max(1, events / 100);
        const int Repetitions = 5;
        string dir = Path.Combine(Path.GetTempPath(), "hparamsnet-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            Console.WriteLine($"# Event file throughput — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            Console.WriteLine($"Machine: {MachineInfo.Describe()}");
            Console.WriteLine($"{events:N0} scalar events per repetition (baseline: {baselineEvents:N0}), median of {Repetitions}.");
            Console.WriteLine();

            string last = string.Empty;
            var summaryWriter = Measure(Repetitions, events, () => last = WriteWithSummaryWriter(dir, events));
            var eventWriter = Measure(Repetitions, events, () => last = WriteWithEventFileWriter(dir, events));
            var reader = Measure(Repetitions, events, () => ReadAll(last, events));
            var scalarReader = Measure(Repetitions, events, () => ReadAllScalars(last, events));
            var baseline = Measure(Repetitions, baselineEvents, () => WriteOpenAppendClose(dir, baselineEvents));
            double bytesPerEvent = AllocatedPerEvent(dir, events);

            Console.WriteLine("| what | events/s (median) | vs open-append-close |");
            Console.WriteLine("|---|---:|---:|");
            Row("SummaryWriter.Scalar", summaryWriter, baseline);
            Row("EventFileWriter.WriteScalar", eventWriter, baseline);
            Row("EventFileReader.ReadEvents (full Event messages)", reader, baseline);
            Row("EventFileReader.ReadScalars (scalar points)", scalarReader, baseline);
            Row("baseline: open, append one record, close, per event", baseline, baseline);
            Console.WriteLine();
            Console.WriteLine($"Allocated per SummaryWriter.Scalar event after warm-up: {bytesPerEvent:F3} bytes");
            Console.WriteLine($"File size: {new FileInfo(last).Length / (double)events:F1} bytes per event");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static void Row(string what, double rate, double baseline) =>
        Console.WriteLine($"| {what} | {rate:N0} | {rate / baseline:F1}x |");

    private static double Measure(int repetitions, int events, Action action)
    {
        action(); // warm-up
        var rates = new List<double>();
        for (int i = 0; i < repetitions; i++)
        {
            var watch = Stopwatch.StartNew();
            action();
            rates.Add(events / watch.Elapsed.TotalSeconds);
        }

        rates.Sort();
        return rates[rates.Count / 2];
    }

    private static string WriteWithSummaryWriter(string dir, int events)
    {
        string run = Path.Combine(dir, "summary-" + Guid.NewGuid().ToString("N"));
        using var writer = SummaryWriter.Create(run);
        for (int step = 0; step < events; step++)
        {
            writer.Scalar("loss", 1.0 / (step + 1), step);
        }

        return writer.FilePath;
    }

    private static string WriteWithEventFileWriter(string dir, int events)
    {
        string run = Path.Combine(dir, "events-" + Guid.NewGuid().ToString("N"));
        using var writer = EventFileWriter.Create(run);
        for (int step = 0; step < events; step++)
        {
            writer.WriteScalar("loss", 1f / (step + 1), step);
        }

        return writer.FilePath;
    }

    private static void ReadAll(string path, int expected)
    {
        long count = 0;
        foreach (Event _ in EventFileReader.ReadEvents(path))
        {
            count++;
        }

        if (count != expected + 1)
        {
            throw new InvalidOperationException($"Read {count} events from {path}, expected {expected + 1}.");
        }
    }

    private static void ReadAllScalars(string path, int expected)
    {
        long count = 0;
        double sum = 0;
        foreach (ScalarEvent scalar in EventFileReader.ReadScalars(path))
        {
            count++;
            sum += scalar.Value;
        }

        if (count != expected || double.IsNaN(sum))
        {
            throw new InvalidOperationException($"Read {count} scalars from {path}, expected {expected}.");
        }
    }

    // What TorchSharp's SummaryWriter.add_scalar does: build the event, open the file in append
    // mode, write one framed record, close.
    private static void WriteOpenAppendClose(string dir, int events)
    {
        string path = Path.Combine(dir, "baseline-" + Guid.NewGuid().ToString("N") + ".tfevents");
        for (int step = 0; step < events; step++)
        {
            var evt = new Event
            {
                WallTime = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
                Step = step,
                Summary = ScalarSummaries.Scalar("loss", 1f / (step + 1), step == 0 ? ScalarSummaries.Metadata() : null),
            };
            byte[] payload = Google.Protobuf.MessageExtensions.ToByteArray(evt);
            var record = new byte[payload.Length + TfRecordFormat.HeaderLength + TfRecordFormat.FooterLength];
            payload.CopyTo(record, TfRecordFormat.HeaderLength);
            TfRecordFormat.FrameInPlace(record);
            using var file = new FileStream(path, FileMode.Append, FileAccess.Write);
            file.Write(record);
        }
    }

    private static double AllocatedPerEvent(string dir, int events)
    {
        string run = Path.Combine(dir, "alloc");
        using var writer = SummaryWriter.Create(run, new EventFileWriterOptions { FlushInterval = Timeout.InfiniteTimeSpan });
        writer.Scalar("loss", 0, 0);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int step = 1; step <= events; step++)
        {
            writer.Scalar("loss", 1.0 / step, step);
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before) / (double)events;
    }
}
