using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Bench;

/// <summary>
/// The sampler suite (shared/bench/sampler-suite.md): every strategy on every objective, 20 seeds x
/// 100 trials, run through the real tuner (log directories on tmpfs when available); regret at 50
/// and 100 trials, and the tuner's own milliseconds per trial.
/// </summary>
internal static class SamplerSuite
{
    public static void Run(string[] args)
    {
        int seeds = ArgInt(args, "--seeds", 20);
        int budget = ArgInt(args, "--budget", 100);
        string? only = ArgString(args, "--strategy");
        string? objectiveFilter = ArgString(args, "--objective");
        string outDir = ArgString(args, "--out") ?? "docs";
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string dir = Path.Combine(root, "hparamsnet-suite", Guid.NewGuid().ToString("N"));

        var strategies = new (string Name, Func<SamplerObjective, SearchStrategy?> Create)[]
        {
            ("random", _ => new RandomSearch()),
            ("grid", o => GridFor(o, budget)),
            ("tpe", _ => new TpeSearch()),
            ("tpe_independent", _ => new TpeSearch(new TpeOptions { Multivariate = false })),
            ("genetic", _ => new GeneticSearch()),
            ("gp", _ => new GpSearch()),
            ("auto", _ => new AutoSearch()),
        };

        var at100 = new JsonObject();
        var at50 = new JsonObject();
        Console.WriteLine($"# Sampler suite — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {seeds} seeds x {budget} trials; {MachineInfo.Describe()}");
        Console.WriteLine();
        Console.WriteLine($"| objective | strategy | median regret @{budget / 2} | median regret @{budget} | mean regret @{budget} | tuner ms/trial |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|");
        try
        {
            foreach (SamplerObjective objective in SamplerObjective.All.Where(o => objectiveFilter is null || o.Name == objectiveFilter))
            {
                var row100 = new JsonObject();
                var row50 = new JsonObject();
                foreach ((string name, Func<SamplerObjective, SearchStrategy?> create) in strategies.Where(s => only is null || s.Name == only))
                {
                    if (create(objective) is null)
                    {
                        continue;
                    }

                    var regret100 = new List<double>();
                    var regret50 = new List<double>();
                    var msPerTrial = new List<double>();
                    for (int seed = 0; seed < seeds; seed++)
                    {
                        string logDir = Path.Combine(dir, $"{objective.Name}-{name}-{seed}");
                        var options = new TunerOptions
                        {
                            LogDir = logDir,
                            Space = objective.Space,
                            Objective = new Objective(new Metric("value"), StudyDirection.Minimize),
                            Strategy = create(objective)!,
                            MaxTrials = budget,
                            Seed = seed,
                        };
                        long objectiveTicks = 0;
                        var clock = Stopwatch.StartNew();
                        StudyResult result = new Tuner(options).RunAsync(trial =>
                        {
                            long start = Stopwatch.GetTimestamp();
                            double value = objective.Evaluate(trial);
                            objectiveTicks += Stopwatch.GetTimestamp() - start;
                            return value;
                        }).GetAwaiter().GetResult();
                        double tunerMs = (clock.Elapsed.TotalMilliseconds - (objectiveTicks * 1000.0 / Stopwatch.Frequency)) / result.Trials.Count;
                        msPerTrial.Add(tunerMs);
                        regret100.Add(BestAfter(result, budget) - objective.Minimum);
                        regret50.Add(BestAfter(result, budget / 2) - objective.Minimum);
                        Directory.Delete(logDir, recursive: true);
                    }

                    row100[name] = Summary(regret100, msPerTrial);
                    row50[name] = Summary(regret50, msPerTrial);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {objective.Name} | {name} | {Median(regret50):G4} | {Median(regret100):G4} | {regret100.Average():G4} | {Median(msPerTrial):F3} |"));
                }

                at100[objective.Name] = row100;
                at50[objective.Name] = row50;
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        if (only is null && objectiveFilter is null)
        {
            var json = new JsonSerializerOptions { WriteIndented = true };
            // The suite's budget (100) keeps its historical names; other budgets are named by theirs.
            string full = budget == 100 ? "sampler-suite.json" : $"sampler-suite-{budget}.json";
            string half = budget == 100 ? "sampler-suite-50.json" : $"sampler-suite-{budget}-at-{budget / 2}.json";
            File.WriteAllText(Path.Combine(outDir, full), new JsonObject { ["budget"] = budget, ["seeds"] = seeds, ["results"] = at100 }.ToJsonString(json) + "\n");
            File.WriteAllText(Path.Combine(outDir, half), new JsonObject { ["budget"] = budget / 2, ["seeds"] = seeds, ["results"] = at50 }.ToJsonString(json) + "\n");
            Console.WriteLine();
            Console.WriteLine($"Wrote {Path.Combine(outDir, full)} and {half}");
        }
    }

    // A grid of at most 'budget' points: the same number of points per interval, as many as fit.
    private static GridSearch? GridFor(SamplerObjective objective, int budget)
    {
        if (objective.Space.Any(h => h.Domain is not RealInterval))
        {
            return null; // the mixed space: a grid over it is not the scenario's
        }

        int points = (int)Math.Floor(Math.Pow(budget, 1.0 / objective.Space.Count) + 1e-9);
        return points >= 2 ? new GridSearch(points) : null;
    }

    private static double BestAfter(StudyResult result, int trials) =>
        result.Trials.Where(t => t.Number <= trials && t.State == TrialState.Complete).Min(t => t.Value);

    private static JsonObject Summary(List<double> regrets, List<double> ms) => new()
    {
        ["median_regret"] = Median(regrets),
        ["mean_regret"] = regrets.Average(),
        ["ms_per_trial"] = Math.Round(Median(ms), 4),
    };

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        int n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[(n / 2) - 1] + sorted[n / 2]) / 2;
    }

    internal static int ArgInt(string[] args, string name, int fallback) =>
        ArgString(args, name) is string value ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

    internal static string? ArgString(string[] args, string name)
    {
        int at = Array.IndexOf(args, name);
        return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
    }
}
