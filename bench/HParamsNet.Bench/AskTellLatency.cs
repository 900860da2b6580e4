using System.Diagnostics;
using System.Globalization;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Bench;

/// <summary>
/// One ask + tell of the ask-and-tell <see cref="Study"/> (random strategy, a TensorBoard session
/// per trial, 5 real hparams as in Optuna's measurement) when the study already holds N finished
/// trials, on each store: median and 95th percentile of 200 ask+tell pairs, and the parts of one
/// pair (ask without the session files, the session files, tell).
/// Usage: ask-tell [--trials N] [--postgres URL]
/// </summary>
internal static class AskTellLatency
{
    public static void Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static readonly HParam[] Space = [.. Enumerable.Range(0, 5).Select(i => new HParam($"x{i}", new RealInterval(-5, 5)))];
    private static readonly Metric Loss = new("loss");

    private static async Task RunAsync(string[] args)
    {
        int prefill = StorageThroughput.Arg(args, "--trials", 10_000);
        string? postgres = StorageThroughput.ArgString(args, "--postgres") ?? Environment.GetEnvironmentVariable("HPARAMSNET_POSTGRES_URL");
        string dir = Path.Combine(Path.GetTempPath(), "hparamsnet-asktell-bench", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        Console.WriteLine($"# Ask + tell with {prefill:N0} trials in the study — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {MachineInfo.Describe()}; log directory and database files in {Path.GetTempPath()}");
        Console.WriteLine();
        Console.WriteLine("| store | ask + tell median (ms) | p95 (ms) | first ask of a new worker (ms) |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach ((string name, Func<Task<IStudyStorage>> open) in StorageThroughput.Stores(dir, postgres))
        {
            await using IStudyStorage storage = await open();
            var options = new StudyOptions
            {
                Storage = storage,
                Name = "latency",
                Space = Space,
                Objective = new Objective(Loss, StudyDirection.Minimize),
                LogDir = Path.Combine(dir, Guid.NewGuid().ToString("N")),
                Strategy = new RandomSearch(),
            };
            await storage.CreateOrLoadStudyAsync(options.Definition);
            await PrefillAsync(storage, prefill);
            var watch = Stopwatch.StartNew();
            await using Study study = await Study.CreateOrLoadAsync(options);
            Trial first = (await study.AskAsync())!;
            await study.TellAsync(first, 1.0);
            double firstMs = watch.Elapsed.TotalMilliseconds;
            var times = new List<double>();
            for (int i = 0; i < 200; i++)
            {
                watch.Restart();
                Trial trial = (await study.AskAsync())!;
                await study.TellAsync(trial, i);
                times.Add(watch.Elapsed.TotalMilliseconds);
            }

            times.Sort();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {times[times.Count / 2]:F2} | {times[(int)(times.Count * 0.95)]:F2} | {firstMs:F0} |"));
        }

        Directory.Delete(dir, recursive: true);
    }

    // Finished trials written straight to the storage (no TensorBoard files): what other workers left.
    private static async Task PrefillAsync(IStudyStorage storage, int count)
    {
        var random = new Random(1);
        for (int i = 0; i < count; i++)
        {
            int number = await storage.CreateTrialAsync("latency");
            await storage.SetTrialHParamsAsync("latency", number, Space.ToDictionary(h => h.Name, h => h.Domain.SampleUniform(random)));
            await storage.FinishTrialAsync("latency", number, TrialOutcome.Complete(random.NextDouble()));
        }
    }
}
