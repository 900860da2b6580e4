using HParamsNet.Trials;

namespace HParamsNet.Tuning.Strategies;

/// <summary>
/// Orders complete trials best first for any number of objectives, so that the strategies that
/// keep "the good ones" (TPE's good fraction, the genetic population) have one rule: feasible
/// trials first; among them, one objective by its value, several by non-dominated rank (the Pareto
/// front first) and, within a rank, by crowding distance, widest first (NSGA-II's order, which
/// keeps the ends and the sparse parts of a front); infeasible trials last, the least violating
/// first (Deb's constrained domination).
/// </summary>
internal static class TrialRanking
{
    /// <summary>A complete trial with a value per objective, as losses (minimised), and its constraint violation.</summary>
    public sealed record Scored(FrozenTrial Trial, double[] Losses, double Violation);

    /// <summary>The complete trials of the context that have a finite value per objective, in trial order.</summary>
    public static List<Scored> Complete(StrategyContext context)
    {
        var scored = new List<Scored>();
        int objectives = context.Objectives.Count;
        foreach (FrozenTrial trial in context.Trials)
        {
            if (trial.State == TrialState.Complete && trial.Values.Count == objectives && trial.Values.All(double.IsFinite))
            {
                // A trial that lacks a constraint's value (warm start from a study without it) is not known to be feasible.
                double violation = trial.Constraints.Count == context.Constraints.Count ? Pareto.Violation(trial.Constraints) : double.PositiveInfinity;
                scored.Add(new Scored(trial, ParetoFront.Losses(trial, context.Objectives), violation));
            }
        }

        return scored;
    }

    /// <summary>The trials ordered best first (a stable order: of equals, the earlier trial).</summary>
    public static List<Scored> BestFirst(List<Scored> trials)
    {
        ArgumentNullException.ThrowIfNull(trials);
        var feasible = trials.Where(t => t.Violation == 0).ToList();
        var infeasible = trials.Where(t => t.Violation > 0).OrderBy(t => t.Violation).ThenBy(t => t.Trial.Number);
        if (feasible.Count > 0 && feasible[0].Losses.Length == 1)
        {
            return [.. feasible.OrderBy(t => t.Losses[0]).ThenBy(t => t.Trial.Number), .. infeasible];
        }

        int[] ranks = Pareto.NonDominatedRanks([.. feasible.Select(t => t.Losses)]);
        var ordered = new List<Scored>(trials.Count);
        foreach (IGrouping<int, int> front in Enumerable.Range(0, feasible.Count).GroupBy(i => ranks[i]).OrderBy(g => g.Key))
        {
            var members = front.ToList();
            double[] crowding = Pareto.CrowdingDistances([.. members.Select(i => feasible[i].Losses)]);
            ordered.AddRange(members.Select((i, k) => (Index: i, Crowding: crowding[k]))
                .OrderByDescending(m => m.Crowding)
                .ThenBy(m => feasible[m.Index].Trial.Number)
                .Select(m => feasible[m.Index]));
        }

        ordered.AddRange(infeasible);
        return ordered;
    }
}
