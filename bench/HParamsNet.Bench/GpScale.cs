using System.Diagnostics;
using System.Globalization;
using HParamsNet.Storage;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Bench;

/// <summary>
/// The cost of one proposal given N finished trials (branin's space, random trials), as a worker
/// that joins a study (or a study that resumes) pays it: a fresh strategy instance each time, the
/// trials read back from a SQLite study. Two figures per strategy: the proposal alone (the trials
/// as the study read them back, then one Propose on a fresh instance) and the first ask of a
/// joining worker (open the study, read its trials, propose, start the trial's session) minus the
/// same with random search, which proposes for free.
/// Usage: gp-scale [--sizes 100,200,500,1000] [--rounds 5]
/// </summary>
internal static class GpScale
{
    private static readonly Objective Minimize = new(new Metric("value"), StudyDirection.Minimize);

    public static void Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task RunAsync(string[] args)
    {
        int[] sizes = [.. (SamplerSuite.ArgString(args, "--sizes") ?? "100,200,500,1000").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
        int rounds = SamplerSuite.ArgInt(args, "--rounds", 5);
        SamplerObjective branin = SamplerObjective.All[0];
        string dir = Path.Combine(Path.GetTempPath(), "hparamsnet-gp-scale", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        Console.WriteLine($"# Proposal cost by study size, fresh instance, trials read back — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {MachineInfo.Describe()}; median of {rounds}");
        Console.WriteLine();
        Console.WriteLine("| finished trials | GpSearch proposal (ms) | GpSearch first ask − random's (ms) | TpeSearch proposal (ms) | TpeSearch first ask − random's (ms) | random first ask (ms) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        try
        {
            // Warm the JIT on a small study first: the table is about the work a proposal does, not
            // about the first-call compilation a new process pays once (for every strategy alike).
            string warm = Path.Combine(dir, "warm.db");
            await PrefillAsync(warm, branin, 50);
            foreach (Func<SearchStrategy> create in new Func<SearchStrategy>[] { () => new RandomSearch(), () => new GpSearch(), () => new TpeSearch() })
            {
                await FirstAskAsync(warm, branin, create, 3, dir);
            }

            foreach (int n in sizes)
            {
                string database = Path.Combine(dir, $"branin-{n}.db");
                await PrefillAsync(database, branin, n);
                double random = await FirstAskAsync(database, branin, () => new RandomSearch(), rounds, dir);
                double gpAsk = await FirstAskAsync(database, branin, () => new GpSearch(), rounds, dir);
                double tpeAsk = await FirstAskAsync(database, branin, () => new TpeSearch(), rounds, dir);
                IReadOnlyList<FrozenTrial> trials = await ReadBackAsync(database);
                double gp = ProposalAlone(() => new GpSearch(), branin, trials, rounds);
                double tpe = ProposalAlone(() => new TpeSearch(), branin, trials, rounds);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {n} | {gp:F1} | {gpAsk - random:F1} | {tpe:F2} | {tpeAsk - random:F1} | {random:F1} |"));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static StudyOptions Options(IStudyStorage storage, SamplerObjective objective, SearchStrategy strategy, string logDir) => new()
    {
        Storage = storage,
        Name = "scale",
        Space = objective.Space,
        Objective = Minimize,
        LogDir = logDir,
        Strategy = strategy,
    };

    // Finished trials written straight to the storage: what other workers left.
    private static async Task PrefillAsync(string database, SamplerObjective objective, int count)
    {
        await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(database);
        StudyOptions options = Options(storage, objective, new RandomSearch(), Path.Combine(Path.GetDirectoryName(database)!, "logs"));
        await storage.CreateOrLoadStudyAsync(options.Definition);
        var random = new Random(count);
        for (int i = 0; i < count; i++)
        {
            var configuration = objective.Space.ToDictionary(h => h, h => h.Domain.SampleUniform(random));
            int number = await storage.CreateTrialAsync("scale");
            await storage.SetTrialHParamsAsync("scale", number, configuration.ToDictionary(p => p.Key.Name, p => p.Value));
            await storage.FinishTrialAsync("scale", number, TrialOutcome.Complete(Branin((double)configuration[objective.Space[0]], (double)configuration[objective.Space[1]])));
        }
    }

    private static double Branin(double x1, double x2) =>
        Math.Pow(x2 - (5.1 / (4 * Math.PI * Math.PI) * x1 * x1) + (5 / Math.PI * x1) - 6, 2) + (10 * (1 - (1 / (8 * Math.PI))) * Math.Cos(x1)) + 10;

    private static async Task<IReadOnlyList<FrozenTrial>> ReadBackAsync(string database)
    {
        await using SqliteStudyStorage storage = await SqliteStudyStorage.OpenAsync(database);
        return await storage.GetTrialsAsync("scale");
    }

    // Open a copy of the study with a fresh strategy and ask once: what a joining worker waits for.
    private static async Task<double> FirstAskAsync(string database, SamplerObjective objective, Func<SearchStrategy> create, int rounds, string dir)
    {
        var times = new List<double>();
        for (int round = 0; round <= rounds; round++)
        {
            string copy = Path.Combine(dir, $"{Guid.NewGuid():N}.db");
            File.Copy(database, copy);
            var clock = Stopwatch.StartNew();
            await using (IStudyStorage storage = await SqliteStudyStorage.OpenAsync(copy))
            await using (Study study = await Study.CreateOrLoadAsync(Options(storage, objective, create(), Path.Combine(dir, Guid.NewGuid().ToString("N")))))
            {
                _ = await study.AskAsync() ?? throw new InvalidOperationException("The study proposed nothing.");
                if (round > 0)
                {
                    times.Add(clock.Elapsed.TotalMilliseconds); // the first round warms the JIT
                }
            }

            File.Delete(copy);
        }

        times.Sort();
        return times[times.Count / 2];
    }

    private static double ProposalAlone(Func<SearchStrategy> create, SamplerObjective objective, IReadOnlyList<FrozenTrial> trials, int rounds)
    {
        var times = new List<double>();
        for (int round = 0; round <= rounds; round++)
        {
            SearchStrategy strategy = create();
            var context = new StrategyContext(objective.Space, Minimize, trials.Count + 1, trials, [], TrialRandom.For(round, trials.Count + 1));
            var clock = Stopwatch.StartNew();
            strategy.Propose(context);
            if (round > 0)
            {
                times.Add(clock.Elapsed.TotalMilliseconds);
            }
        }

        times.Sort();
        return times[times.Count / 2];
    }
}
