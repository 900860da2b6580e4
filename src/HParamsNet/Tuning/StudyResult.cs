using HParamsNet.Trials;

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
    internal StudyResult(Objective objective, IReadOnlyList<FrozenTrial> trials, string logDir)
    {
        Objective = objective;
        LogDir = logDir;
        Trials = trials;
        var complete = trials.Where(t => t.State == TrialState.Complete && !double.IsNaN(t.Value)).ToList();
        BestTrial = complete.OrderBy(t => t.Value, Comparer<double>.Create(objective.CompareBestFirst)).ThenBy(t => t.Number).FirstOrDefault();
        Configurations = trials.Select(t => new ConfigurationResult(
            t,
            t.State == TrialState.Complete ? t.Value : double.NaN,
            StandardDeviation(t),
            t.FoldValues.Count > 0 ? t.FoldValues : [t.Value],
            Rank(t, complete, objective),
            (t.Duration ?? TimeSpan.Zero) / Math.Max(1, t.FoldValues.Count))).ToList();
    }

    /// <summary>The objective.</summary>
    public Objective Objective { get; }

    /// <summary>The log directory holding every trial.</summary>
    public string LogDir { get; }

    /// <summary>Every trial of the study, by number (a resumed study's earlier trials included).</summary>
    public IReadOnlyList<FrozenTrial> Trials { get; }

    /// <summary>One row per trial, in trial order.</summary>
    public IReadOnlyList<ConfigurationResult> Configurations { get; }

    /// <summary>The best complete trial, or <see langword="null"/> if none completed.</summary>
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

    private static InvalidOperationException NoneComplete() => new("No trial of the study completed, so there is no best; see the trials' errors.");

    private static double StandardDeviation(FrozenTrial trial)
    {
        if (trial.State != TrialState.Complete || trial.FoldValues.Count == 0)
        {
            return trial.State == TrialState.Complete ? 0 : double.NaN;
        }

        double mean = trial.FoldValues.Average();
        return Math.Sqrt(trial.FoldValues.Average(v => (v - mean) * (v - mean)));
    }

    private static int Rank(FrozenTrial trial, List<FrozenTrial> complete, Objective objective) =>
        trial.State == TrialState.Complete && !double.IsNaN(trial.Value)
            ? 1 + complete.Count(other => objective.IsBetter(other.Value, trial.Value))
            : complete.Count + 1;
}
