using System.Diagnostics;
using System.Globalization;
using HParamsNet.Storage;
using HParamsNet.Tuning.Storage;

namespace HParamsNet.Bench;

/// <summary>
/// The study storages alone (no objective, no TensorBoard files): W tasks of one process sharing a
/// study, each trial a create with its configuration (with trial limits held by the storage when
/// --limits is given), one intermediate value and a finish (what a worker asks of the storage per
/// trial, without reading the study); then reading every trial of a study of 10,000, which a new
/// worker does once.
/// Usage: storage [--trials N] [--workers W] [--postgres URL] [--limits]
/// </summary>
internal static class StorageThroughput
{
    public static void Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task RunAsync(string[] args)
    {
        int trials = Arg(args, "--trials", 1000);
        int workers = Arg(args, "--workers", 4);
        TrialLimits? limits = args.Contains("--limits") ? new TrialLimits(MaxTrials: int.MaxValue, MaxCompleteTrials: null) : null;
        string? postgres = ArgString(args, "--postgres") ?? Environment.GetEnvironmentVariable("HPARAMSNET_POSTGRES_URL");
        string dir = Path.Combine(Path.GetTempPath(), "hparamsnet-storage-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        Console.WriteLine($"# Study storages — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {MachineInfo.Describe()}; {workers} tasks x {trials} trials; database files in {Path.GetTempPath()}");
        Console.WriteLine();
        Console.WriteLine($"| store | trials/s (create with configuration{(limits is null ? string.Empty : " and limits")} + report + finish) | read 10,000 trials (ms, median of 5) |");
        Console.WriteLine("|---|---:|---:|");
        foreach ((string name, Func<Task<IStudyStorage>> open) in Stores(dir, postgres))
        {
            await using IStudyStorage storage = await open();
            double perSecond = await ThroughputAsync(storage, workers, trials, limits);
            double readMs = await ReadAsync(storage, 10_000);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {perSecond:F0} | {readMs:F1} |"));
        }

        Directory.Delete(dir, recursive: true);
    }

    private static readonly HParam Units = new("units", new Discrete(8, 16, 32));
    private static readonly HParam Rate = new("rate", new RealInterval(1e-4, 1e-1) { Log = true });
    private static readonly Metric Loss = new("loss");

    private static StudyDefinition Definition(string name) => new(name, new HParamsExperiment([Units, Rate], [Loss]), new Objective(Loss, StudyDirection.Minimize));

    private static async Task<double> ThroughputAsync(IStudyStorage storage, int workers, int trials, TrialLimits? limits)
    {
        await storage.CreateOrLoadStudyAsync(Definition("throughput"));
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (int i = 0; i < trials; i++)
            {
                int number = (await storage.CreateTrialAsync("throughput", new Dictionary<string, object> { ["units"] = 16, ["rate"] = Rate.Domain.SampleUniform(random) }, limits))!.Value;
                await storage.ReportAsync("throughput", number, 1, 0.5);
                await storage.FinishTrialAsync("throughput", number, TrialOutcome.Complete(random.NextDouble()));
            }
        })));
        return workers * trials / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> ReadAsync(IStudyStorage storage, int count)
    {
        await storage.CreateOrLoadStudyAsync(Definition("read"));
        for (int i = 0; i < count; i++)
        {
            int number = await storage.CreateTrialAsync("read");
            await storage.SetTrialHParamsAsync("read", number, new Dictionary<string, object> { ["units"] = 8, ["rate"] = 0.01 });
            await storage.FinishTrialAsync("read", number, TrialOutcome.Complete(i));
        }

        var times = new List<double>();
        for (int r = 0; r < 5; r++)
        {
            var watch = Stopwatch.StartNew();
            _ = await storage.GetTrialsAsync("read");
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        return times.Order().ElementAt(2);
    }

    /// <summary>Each store to measure, a new one per call: in memory, a SQLite file in <paramref name="dir"/>, and PostgreSQL when a URL is given (a schema of its own).</summary>
    internal static List<(string Name, Func<Task<IStudyStorage>> Open)> Stores(string dir, string? postgres)
    {
        var stores = new List<(string Name, Func<Task<IStudyStorage>> Open)>
        {
            ("in memory", () => Task.FromResult<IStudyStorage>(new InMemoryStudyStorage())),
            ("SQLite", async () => await SqliteStudyStorage.OpenAsync(Path.Combine(dir, $"{Guid.NewGuid():N}.db"))),
        };
        if (postgres is not null)
        {
            stores.Add(("PostgreSQL", async () => await PostgresStudyStorage.OpenAsync(postgres, $"bench_{Guid.NewGuid():N}")));
        }

        return stores;
    }

    internal static int Arg(string[] args, string name, int fallback) =>
        ArgString(args, name) is string value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    internal static string? ArgString(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
