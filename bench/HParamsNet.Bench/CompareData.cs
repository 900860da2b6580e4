using System.Diagnostics;
using System.Globalization;
using HParamsNet.Events;
using HParamsNet.Summaries;

namespace HParamsNet.Bench;

/// <summary>
/// Writes the log directory of the CLI benchmark (issue 7): an experiment and N sessions, each
/// with S steps of two metrics; `hparams compare` is then timed on it from the shell.
/// </summary>
internal static class CompareData
{
    public static void Run(string[] args)
    {
        string dir = args.Length > 0 ? args[0] : throw new ArgumentException("Usage: compare-data DIR [sessions] [steps]");
        int sessions = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10_000;
        int steps = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 100;
        if (Directory.Exists(dir) && Directory.EnumerateFileSystemEntries(dir).Any())
        {
            throw new IOException($"'{dir}' is not empty; give a new directory.");
        }

        var lr = new HParam("lr", new RealInterval(1e-4, 1e-1) { Log = true });
        var units = new HParam("units", new Discrete(16, 32, 64, 128));
        var optimizer = new HParam("optimizer", new Discrete("adam", "sgd"));
        var clock = Stopwatch.StartNew();
        using (var root = SummaryWriter.Create(dir))
        {
            root.HParamsConfig([lr, units, optimizer], [new Metric("accuracy"), new Metric("loss")]);
        }

        var random = new Random(0);
        var options = new EventFileWriterOptions { FlushInterval = Timeout.InfiniteTimeSpan };
        for (int i = 0; i < sessions; i++)
        {
            using var run = SummaryWriter.Create(Path.Combine(dir, $"session-{i:D5}"), options);
            run.HParams(new Dictionary<HParam, object> { [lr] = lr.Domain.SampleUniform(random), [units] = units.Domain.SampleUniform(random), [optimizer] = optimizer.Domain.SampleUniform(random) });
            double quality = random.NextDouble();
            for (int step = 1; step <= steps; step++)
            {
                run.Scalar("accuracy", quality * (1 - Math.Exp(-step / 20.0)), step);
                run.Scalar("loss", (1 - quality) + Math.Exp(-step / 20.0), step);
            }

            run.SessionEnd();
        }

        Console.WriteLine($"Wrote {sessions} sessions x {steps} steps x 2 metrics to {dir} in {clock.Elapsed.TotalSeconds:F1} s");
    }
}
