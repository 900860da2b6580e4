using System.Globalization;
using HParamsNet.Trials;

namespace HParamsNet.Examples.Distributed;

/// <summary>What the study holds once its workers are done: counts, throughput and the best trial.</summary>
internal static class Summary
{
    public static void Print(Objective objective, IReadOnlyList<FrozenTrial> trials, TimeSpan elapsed, int replacements)
    {
        int complete = trials.Count(t => t.State == TrialState.Complete);
        int lost = trials.Count(t => t.State == TrialState.Failed && t.Error?.StartsWith("worker lost", StringComparison.Ordinal) == true);
        int failed = trials.Count(t => t.State == TrialState.Failed) - lost;
        int pruned = trials.Count(t => t.State == TrialState.Pruned);
        int running = trials.Count(t => t.State == TrialState.Running);
        int repeatedNumbers = trials.Count - trials.Select(t => t.Number).Distinct().Count();
        var ran = trials.Where(t => t.State is TrialState.Complete or TrialState.Pruned).Select(t => string.Join(",", t.HParams.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"))).ToList();
        int twice = ran.Count - ran.Distinct(StringComparer.Ordinal).Count();
        // The study's own time, from its first trial's start to its last one's end, leaves out the
        // start of the worker processes (about a second on two cores), which a longer study amortises.
        TimeSpan studyTime = trials.Count == 0 ? TimeSpan.Zero : (trials.Max(t => t.Ended) ?? DateTimeOffset.MinValue) - trials.Min(t => t.Started);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{trials.Count} trials: {complete} complete, {pruned} pruned, {failed} failed, {lost} lost with their worker, {running} running; {repeatedNumbers} repeated numbers; {twice} configurations complete or pruned twice; {replacements} workers replaced"));
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"time: {elapsed.TotalSeconds:F1} s in all ({trials.Count / elapsed.TotalSeconds:F0} trials/s), {studyTime.TotalSeconds:F1} s from the first trial's start to the last one's end ({trials.Count / Math.Max(studyTime.TotalSeconds, 1e-9):F0} trials/s)"));
        FrozenTrial? best = trials.Where(t => t.State == TrialState.Complete)
            .OrderBy(t => t.Value, Comparer<double>.Create(objective.CompareBestFirst))
            .FirstOrDefault();
        if (best is not null)
        {
            string hparams = string.Join(", ", best.HParams.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best: trial {best.Number}, {best.Value:G6} ({hparams})"));
        }
    }
}
