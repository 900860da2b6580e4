using System.Diagnostics;
using System.Globalization;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Bench;

/// <summary>
/// The tuner's own cost per trial with a no-op objective (proposal, trial directory, event files,
/// hparams, final value, status, flush), and the speed-up of two parallel workers on CPU-bound
/// trials (issue 5).
/// </summary>
internal static class TunerOverhead
{
    public static void Run(string[] args)
    {
        int trials = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        string root = args.Length > 1 ? args[1] : Path.GetTempPath();
        string dir = Path.Combine(root, "hparamsnet-bench-tuner", Guid.NewGuid().ToString("N"));
        try
        {
            Console.WriteLine($"# Tuner overhead — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
            Console.WriteLine($"Machine: {MachineInfo.Describe()}; log directory in {root}");
            Console.WriteLine($"File system baseline: creating a directory and a file in it, writing 100 bytes, closing: {FileSystemBaseline(dir):F3} ms");
            var space = new[]
            {
                new HParam("lr", new RealInterval(1e-5, 1e-1) { Log = true }),
                new HParam("units", new IntInterval(8, 512)),
                new HParam("optimizer", new Discrete("adam", "sgd", "rmsprop")),
            };
            var objective = new Objective(new Metric("accuracy"), StudyDirection.Maximize);

            Console.WriteLine();
            Console.WriteLine("| study | trials | total | per trial (median of 5 runs) |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach ((string name, SearchStrategy strategy, bool sync) in new (string, SearchStrategy, bool)[] { ("random, no-op objective", new RandomSearch(), false), ("random, no-op objective, SyncToDisk", new RandomSearch(), true) })
            {
                int count = sync ? Math.Min(trials, 200) : trials;
                var times = new List<double>();
                for (int run = 0; run < 6; run++)
                {
                    string logDir = Path.Combine(dir, $"{name.Replace(' ', '_').Replace(',', '_')}-{run}");
                    var options = new TunerOptions { LogDir = logDir, Space = space, Objective = objective, Strategy = strategy, MaxTrials = count, SyncToDisk = sync };
                    var clock = Stopwatch.StartNew();
                    new Tuner(options).RunAsync(_ => 0.5).GetAwaiter().GetResult();
                    if (run > 0)
                    {
                        times.Add(clock.Elapsed.TotalMilliseconds);
                    }
                }

                times.Sort();
                double median = times[times.Count / 2];
                Console.WriteLine($"| {name} | {count} | {median:F0} ms | {median / count:F3} ms |");
            }

            Console.WriteLine();
            Console.WriteLine("Parallel speed-up, 40 CPU-bound trials of about 50 ms each (random search):");
            Console.WriteLine("| workers | wall time | speed-up |");
            Console.WriteLine("|---:|---:|---:|");
            double single = 0;
            foreach (int workers in new[] { 1, 2 })
            {
                string logDir = Path.Combine(dir, $"parallel-{workers}");
                var options = new TunerOptions { LogDir = logDir, Space = space, Objective = objective, MaxTrials = 40, Parallelism = workers };
                var clock = Stopwatch.StartNew();
                new Tuner(options).RunAsync(_ => Spin(TimeSpan.FromMilliseconds(50))).GetAwaiter().GetResult();
                double seconds = clock.Elapsed.TotalSeconds;
                single = workers == 1 ? seconds : single;
                Console.WriteLine($"| {workers} | {seconds:F2} s | {single / seconds:F2}x |");
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    // What any tuner that keeps one TensorBoard run per trial pays the file system, at least.
    private static double FileSystemBaseline(string dir)
    {
        var bytes = new byte[100];
        var times = new List<double>();
        for (int round = 0; round < 5; round++)
        {
            var clock = Stopwatch.StartNew();
            for (int i = 0; i < 500; i++)
            {
                string run = Path.Combine(dir, "baseline", $"{round}-{i}");
                Directory.CreateDirectory(run);
                using var file = new FileStream(Path.Combine(run, "f"), FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 0);
                file.Write(bytes);
            }

            times.Add(clock.Elapsed.TotalMilliseconds / 500);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    // Busy work: a trial that uses a core, as training does.
    private static double Spin(TimeSpan duration)
    {
        var clock = Stopwatch.StartNew();
        double x = 0;
        while (clock.Elapsed < duration)
        {
            for (int i = 0; i < 10_000; i++)
            {
                x += Math.Sqrt(i);
            }
        }

        return x > 0 ? 0.5 : 0.4;
    }
}
