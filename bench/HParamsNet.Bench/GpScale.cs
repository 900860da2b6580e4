using System.Diagnostics;
using HParamsNet.Trials;
using HParamsNet.Tuning.Strategies;

namespace HParamsNet.Bench;

/// <summary>
/// The cost of one proposal given N finished trials (branin's space, random trials): the GP's
/// grows as the cube of the trials it models (capped at 200), TPE's about linearly (issue 9).
/// </summary>
internal static class GpScale
{
    public static void Run()
    {
        SamplerObjective branin = SamplerObjective.All[0];
        var objective = new Objective(new Metric("value"), StudyDirection.Minimize);
        Console.WriteLine($"# Proposal cost by study size — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC; {MachineInfo.Describe()}");
        Console.WriteLine();
        Console.WriteLine("| finished trials | GpSearch ms/proposal (median of 5) | TpeSearch ms/proposal (median of 5) |");
        Console.WriteLine("|---:|---:|---:|");
        foreach (int n in new[] { 100, 200, 500, 1000 })
        {
            var random = new Random(n);
            var trials = new List<FrozenTrial>(n);
            for (int i = 1; i <= n; i++)
            {
                var configuration = branin.Space.ToDictionary(h => h, h => h.Domain.SampleUniform(random));
                double x1 = (double)configuration[branin.Space[0]];
                double x2 = (double)configuration[branin.Space[1]];
                double value = Math.Pow(x2 - (5.1 / (4 * Math.PI * Math.PI) * x1 * x1) + (5 / Math.PI * x1) - 6, 2) + (10 * (1 - (1 / (8 * Math.PI))) * Math.Cos(x1)) + 10;
                trials.Add(new FrozenTrial(i, $"trial-{i:D4}", configuration.ToDictionary(p => p.Key.Name, p => p.Value), TrialState.Complete, value, [], [], DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null));
            }

            Console.WriteLine($"| {n} | {Time(new GpSearch(), branin, objective, trials):F1} | {Time(new TpeSearch(), branin, objective, trials):F2} |");
        }
    }

    private static double Time(SearchStrategy strategy, SamplerObjective objective, Objective direction, List<FrozenTrial> trials)
    {
        var times = new List<double>();
        for (int round = 0; round < 6; round++)
        {
            var context = new StrategyContext(objective.Space, direction, trials.Count + 1, trials, [], TrialRandom.For(round, trials.Count + 1));
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
