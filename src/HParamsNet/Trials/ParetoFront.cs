namespace HParamsNet.Trials;

/// <summary>
/// The one rule for "the Pareto front" of a study with several objectives, for the study, its
/// result, the strategies and the tools: the complete, feasible trials that no other such trial
/// dominates (no worse in every objective, better in one), by number.
/// </summary>
public static class ParetoFront
{
    /// <summary>The non-dominated complete, feasible trials of <paramref name="trials"/>, by number.</summary>
    /// <param name="trials">The study's trials, in any state.</param>
    /// <param name="objectives">The study's objectives, in the order of each trial's <see cref="FrozenTrial.Values"/>.</param>
    public static IReadOnlyList<FrozenTrial> Of(IEnumerable<FrozenTrial> trials, IReadOnlyList<Objective> objectives)
    {
        ArgumentNullException.ThrowIfNull(trials);
        ArgumentNullException.ThrowIfNull(objectives);
        var candidates = trials.Where(t => IsCandidate(t, objectives.Count)).OrderBy(t => t.Number).ToList();
        var losses = candidates.Select(t => Losses(t, objectives)).ToList();
        return [.. Pareto.Front(losses).Select(i => candidates[i])];
    }

    /// <summary>Whether a trial can be on the front: complete, feasible, with a finite value for each of <paramref name="objectives"/> objectives.</summary>
    /// <param name="trial">The trial.</param>
    /// <param name="objectives">How many objectives the study has.</param>
    public static bool IsCandidate(FrozenTrial trial, int objectives)
    {
        ArgumentNullException.ThrowIfNull(trial);
        return trial.State == TrialState.Complete && trial.IsFeasible && trial.Values.Count == objectives && trial.Values.All(double.IsFinite);
    }

    /// <summary>A trial's values as losses (each to be minimised: a maximised objective's value negated).</summary>
    /// <param name="trial">A trial with a value per objective.</param>
    /// <param name="objectives">The study's objectives.</param>
    public static double[] Losses(FrozenTrial trial, IReadOnlyList<Objective> objectives)
    {
        ArgumentNullException.ThrowIfNull(trial);
        ArgumentNullException.ThrowIfNull(objectives);
        var losses = new double[objectives.Count];
        for (int i = 0; i < losses.Length; i++)
        {
            double value = i < trial.Values.Count ? trial.Values[i] : double.NaN;
            losses[i] = objectives[i].Direction == StudyDirection.Minimize ? value : -value;
        }

        return losses;
    }
}
