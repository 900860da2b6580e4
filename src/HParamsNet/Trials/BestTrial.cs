namespace HParamsNet.Trials;

/// <summary>
/// The one rule for "the best trial" of a study, for the tuner's progress, its result, the
/// ask-and-tell study and the tools: the complete, feasible trial with the best objective value;
/// of equal values, the lower number (the earlier trial).
/// </summary>
internal static class BestTrial
{
    /// <summary>Whether a trial has a value the rule ranks: complete, with a value, and feasible (an infeasible trial is never the best).</summary>
    public static bool IsScored(FrozenTrial trial) => trial.State == TrialState.Complete && !double.IsNaN(trial.Value) && trial.IsFeasible;

    /// <summary>The best of <paramref name="trials"/>, or <see langword="null"/> when none is scored.</summary>
    public static FrozenTrial? Of(IEnumerable<FrozenTrial> trials, Objective objective)
    {
        FrozenTrial? best = null;
        foreach (FrozenTrial trial in trials)
        {
            if (Beats(trial, best, objective))
            {
                best = trial;
            }
        }

        return best;
    }

    /// <summary>Whether <paramref name="candidate"/> would replace <paramref name="incumbent"/> as the best.</summary>
    public static bool Beats(FrozenTrial candidate, FrozenTrial? incumbent, Objective objective) =>
        IsScored(candidate) && (incumbent is null || objective.IsBetter(candidate.Value, incumbent.Value) || (candidate.Value == incumbent.Value && candidate.Number < incumbent.Number));
}
