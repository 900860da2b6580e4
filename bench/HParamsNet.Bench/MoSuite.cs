using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using HParamsNet.Trials;
using HParamsNet.Tuning;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Bench;

/// <summary>
/// The multi-objective suite (shared/bench/mo-suite.md): every strategy on every problem, 20 seeds
/// x 300 trials through the real tuner (log directories on tmpfs when available); hypervolume
/// regret after 100 and 300 trials, and the tuner's own milliseconds per trial. Writes
/// docs/mo-suite.json and prints a table beside Optuna 3.1's figures.
/// </summary>
internal static class MoSuite
{
    private static readonly int[] Checkpoints = [100, 300];

    public static void Run(string[] args)
    {
        int seeds = SamplerSuite.ArgInt(args, "--seeds", 20);
        int budget = SamplerSuite.ArgInt(args, "--budget", 300);
        string? only = SamplerSuite.ArgString(args, "--strategy");
        string? problemFilter = SamplerSuite.ArgString(args, "--problem");
        string outDir = SamplerSuite.ArgString(args, "--out") ?? "docs";
        string reference = SamplerSuite.ArgString(args, "--optuna") ?? Path.Combine("bench", "optuna-mo-reference.json");
        string root = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
        string dir = Path.Combine(root, "hparamsnet-mo-suite", Guid.NewGuid().ToString("N"));
        int[] checkpoints = [.. Checkpoints.Where(c => c <= budget)];

        var strategies = new (string Name, Func<SearchStrategy> Create)[]
        {
            ("random", () => new RandomSearch()),
            ("nsga2", () => new GeneticSearch()),
            ("tpe", () => new TpeSearch()),

            // The default: GpSearch up to 1,000 finished trials, so a separate "gp" row would repeat it.
            ("auto", () => new AutoSearch()),
        };

        JsonObject? optuna = File.Exists(reference) ? JsonNode.Parse(File.ReadAllText(reference))!.AsObject() : null;
        var results = new JsonObject();
        Console.WriteLine($"# Multi-objective suite — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {seeds} seeds x {budget} trials; {MachineInfo.Describe()}");
        Console.WriteLine();
        Console.WriteLine("| problem | strategy | median regret @100 | mean @100 | median regret @300 | mean @300 | tuner ms/trial |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        try
        {
            foreach (MoProblem problem in MoProblem.All.Where(p => problemFilter is null || p.Name == problemFilter))
            {
                var row = new JsonObject();
                foreach ((string name, Func<SearchStrategy> create) in strategies.Where(s => only is null || s.Name == only))
                {
                    var regrets = checkpoints.ToDictionary(c => c, _ => new List<double>());
                    var msPerTrial = new List<double>();
                    for (int seed = 0; seed < seeds; seed++)
                    {
                        (IReadOnlyList<FrozenTrial> trials, double ms) = RunOne(problem, create(), budget, seed, Path.Combine(dir, $"{problem.Name}-{name}-{seed}"));
                        msPerTrial.Add(ms);
                        if (args.Contains("--dump") && seed == 0)
                        {
                            foreach (FrozenTrial t in ParetoFront.Of(trials.Where(t => t.Number <= 100), [.. Enumerable.Range(0, problem.Objectives).Select(_ => new Objective(new Metric("f"), StudyDirection.Minimize))]).OrderBy(t => t.Values[0]))
                            {
                                Console.Error.WriteLine($"  {t.Number}: [{string.Join(", ", t.Values.Select(v => v.ToString("G4", CultureInfo.InvariantCulture)))}]");
                            }
                        }

                        foreach (int c in checkpoints)
                        {
                            regrets[c].Add(problem.TrueHypervolume - problem.HypervolumeAfter(trials, c));
                        }
                    }

                    var entry = new JsonObject();
                    foreach (int c in checkpoints)
                    {
                        entry[c.ToString(CultureInfo.InvariantCulture)] = new JsonObject { ["median"] = SamplerSuite.Median(regrets[c]), ["mean"] = regrets[c].Average() };
                    }

                    entry["ms_per_trial"] = Math.Round(msPerTrial.Average(), 4);
                    row[name] = entry;
                    string At(int c, Func<List<double>, double> f) => regrets.TryGetValue(c, out List<double>? r) ? f(r).ToString("G4", CultureInfo.InvariantCulture) : "-";
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"| {problem.Name} | {name} | {At(100, SamplerSuite.Median)} | {At(100, r => r.Average())} | {At(300, SamplerSuite.Median)} | {At(300, r => r.Average())} | {msPerTrial.Average():F2} |"));
                }

                results[problem.Name] = row;
            }
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }

        if (optuna is not null)
        {
            PrintBeside(results, optuna);
        }

        if (only is null && problemFilter is null)
        {
            string path = Path.Combine(outDir, "mo-suite.json");
            File.WriteAllText(path, new JsonObject { ["seeds"] = seeds, ["results"] = results }.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
            Console.WriteLine();
            Console.WriteLine($"Wrote {path}");
        }
    }

    private static (IReadOnlyList<FrozenTrial> Trials, double MsPerTrial) RunOne(MoProblem problem, SearchStrategy strategy, int budget, int seed, string logDir)
    {
        Metric[] objectives = [.. Enumerable.Range(1, problem.Objectives).Select(i => new Metric($"f{i}"))];
        Metric[] constraints = [.. Enumerable.Range(1, problem.Constraints).Select(i => new Metric($"c{i}"))];
        var options = new TunerOptions
        {
            LogDir = logDir,
            Space = problem.Space,
            Objectives = [.. objectives.Select(m => new Objective(m, StudyDirection.Minimize))],
            Constraints = constraints,
            Strategy = strategy,
            MaxTrials = budget,
            Seed = seed,
        };
        long objectiveTicks = 0;
        var clock = Stopwatch.StartNew();
        StudyResult result = new Tuner(options).RunAsync(trial =>
        {
            long start = Stopwatch.GetTimestamp();
            (double[] f, double[] c) = problem.Evaluate(trial);
            var others = constraints.Select((m, j) => (m, c[j])).ToDictionary(p => p.m, p => p.Item2);
            objectiveTicks += Stopwatch.GetTimestamp() - start;
            return new TrialValues(f, others);
        }).GetAwaiter().GetResult();
        double ms = (clock.Elapsed.TotalMilliseconds - (objectiveTicks * 1000.0 / Stopwatch.Frequency)) / result.Trials.Count;
        Directory.Delete(logDir, recursive: true);
        return (result.Trials, ms);
    }

    // Ours at 100 and 300 beside Optuna's best sampler at each, and the issue's target ratio.
    private static void PrintBeside(JsonObject ours, JsonObject optuna)
    {
        Console.WriteLine();
        Console.WriteLine("| problem | ours (auto) @100 | Optuna's best @100 | ratio | ours (auto) @300 | Optuna's best @300 | ratio |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach ((string problem, JsonNode? row) in ours)
        {
            if (row?["auto"] is not JsonNode auto || optuna[problem] is not JsonObject reference)
            {
                continue;
            }

            double Best(string at) => reference.Where(p => p.Value is JsonObject s && s[at] is not null).Min(p => p.Value![at]!["median"]!.GetValue<double>());
            double? Ours(string at) => auto[at]?["median"]?.GetValue<double>();
            string Cell(double? v) => v is double d ? d.ToString("G4", CultureInfo.InvariantCulture) : "-";
            string Ratio(double? v, double best) => v is double d ? (d / best).ToString("F3", CultureInfo.InvariantCulture) : "-";
            Console.WriteLine($"| {problem} | {Cell(Ours("100"))} | {Cell(Best("100"))} | {Ratio(Ours("100"), Best("100"))} | {Cell(Ours("300"))} | {Cell(Best("300"))} | {Ratio(Ours("300"), Best("300"))} |");
        }
    }
}
