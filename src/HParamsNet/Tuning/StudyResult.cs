using HParamsNet.Trials;
using Front = HParamsNet.Trials.ParetoFront;
using BestTrialRule = HParamsNet.Trials.BestTrial;

namespace HParamsNet.Tuning;

/// <summary>One configuration's row of a study's results (scikit-learn's <c>cv_results_</c>).</summary>
/// <param name="Trial">The trial.</param>
/// <param name="MeanScore">Mean objective over folds (the value without cross-validation); NaN unless complete.</param>
/// <param name="StdScore">Population standard deviation over folds (0 without cross-validation).</param>
/// <param name="FoldScores">The objective per fold.</param>
/// <param name="Rank">1 for the best; equal scores share the lowest rank; failed and pruned trials rank last.</param>
/// <param name="MeanFitTime">Trial duration divided by its folds.</param>
public sealed record ConfigurationResult(FrozenTrial Trial, double MeanScore, double StdScore, IReadOnlyList<double> FoldScores, int Rank, TimeSpan MeanFitTime);

/// <summary>What a study found.</summary>
public sealed class StudyResult
{
    internal StudyResult(IReadOnlyList<Objective> objectives, IReadOnlyList<FrozenTrial> trials, string logDir)
    {
        Objectives = objectives;
        Objective = objectives[0];
        LogDir = logDir;
        Trials = trials;
        ParetoFront = Front.Of(trials, objectives);
        Dictionary<int, int> ranks = objectives.Count == 1 ? SingleObjectiveRanks(trials, Objective) : NonDominatedRanks(trials, objectives);
        BestTrial = objectives.Count == 1 ? BestTrialRule.Of(trials, Objective) : null;
        Configurations = trials.Select(t => new ConfigurationResult(
            t,
            t.State == TrialState.Complete ? t.Value : double.NaN,
            StandardDeviation(t),
            t.FoldValues.Count > 0 ? t.FoldValues : [t.Value],
            ranks.TryGetValue(t.Number, out int rank) ? rank : ranks.Count + 1,
            (t.Duration ?? TimeSpan.Zero) / Math.Max(1, t.FoldValues.Count))).ToList();
    }

    /// <summary>The objective (with several, the first).</summary>
    public Objective Objective { get; }

    /// <summary>Every objective, in the order of each trial's <see cref="FrozenTrial.Values"/>.</summary>
    public IReadOnlyList<Objective> Objectives { get; }

    /// <summary>The complete, feasible trials no other such trial dominates, by number (with one objective: those sharing the best value).</summary>
    public IReadOnlyList<FrozenTrial> ParetoFront { get; }

    /// <summary>The log directory holding every trial.</summary>
    public string LogDir { get; }

    /// <summary>Every trial of the study, by number (a resumed study's earlier trials included).</summary>
    public IReadOnlyList<FrozenTrial> Trials { get; }

    /// <summary>One row per trial, in trial order.</summary>
    public IReadOnlyList<ConfigurationResult> Configurations { get; }

    /// <summary>The best complete, feasible trial, or <see langword="null"/> if none completed (always with several objectives: see <see cref="ParetoFront"/>).</summary>
    public FrozenTrial? BestTrial { get; }

    /// <summary>The best configuration (scikit-learn's <c>best_params_</c>).</summary>
    /// <exception cref="InvalidOperationException">No trial completed.</exception>
    public IReadOnlyDictionary<string, object> BestParams => (BestTrial ?? throw NoneComplete()).HParams;

    /// <summary>The best mean objective value (<c>best_score_</c>).</summary>
    /// <exception cref="InvalidOperationException">No trial completed.</exception>
    public double BestScore => (BestTrial ?? throw NoneComplete()).Value;

    /// <summary>The best trial's index in <see cref="Configurations"/> (<c>best_index_</c>).</summary>
    /// <exception cref="InvalidOperationException">No trial completed.</exception>
    public int BestIndex => Trials.ToList().IndexOf(BestTrial ?? throw NoneComplete());

    private InvalidOperationException NoneComplete() => new(Objectives.Count > 1
        ? $"The study has {Objectives.Count} objectives, so no one trial is best; see ParetoFront."
        : "No trial of the study completed feasible, so there is no best; see the trials' errors and constraints.");

    private static double StandardDeviation(FrozenTrial trial)
    {
        if (trial.State != TrialState.Complete || trial.FoldValues.Count == 0)
        {
            return trial.State == TrialState.Complete ? 0 : double.NaN;
        }

        double mean = trial.FoldValues.Average();
        return Math.Sqrt(trial.FoldValues.Average(v => (v - mean) * (v - mean)));
    }

    // 1 for the best; equal values share the lowest rank; trials without a feasible value after every ranked one.
    private static Dictionary<int, int> SingleObjectiveRanks(IReadOnlyList<FrozenTrial> trials, Objective objective)
    {
        var scored = trials.Where(BestTrialRule.IsScored).ToList();
        return scored.ToDictionary(t => t.Number, t => 1 + scored.Count(other => objective.IsBetter(other.Value, t.Value)));
    }

    // 1 for the Pareto front, 2 for the front once it is removed, and so on.
    private static Dictionary<int, int> NonDominatedRanks(IReadOnlyList<FrozenTrial> trials, IReadOnlyList<Objective> objectives)
    {
        var candidates = trials.Where(t => Front.IsCandidate(t, objectives.Count)).ToList();
        int[] ranks = Pareto.NonDominatedRanks([.. candidates.Select(t => Front.Losses(t, objectives))]);
        return candidates.Select((t, i) => (t.Number, Rank: ranks[i] + 1)).ToDictionary(p => p.Number, p => p.Rank);
    }
}
