using HParamsNet.Trials;
using HParamsNet.Tuning;
using Microsoft.ML;

namespace HParamsNet.MLNet;

/// <summary>After a study: ensemble selection on the trials' out-of-fold predictions, then the chosen trials refitted on all training rows.</summary>
internal static class EnsembleBuilder
{
    // The library is the best trials only, as auto-sklearn keeps its 50 best: the rest add fitting
    // noise to the greedy choice and are rarely picked.
    private const int Candidates = 50;

    public static MLNetEnsemble? Build(MLContext ml, StudyResult study, OutOfFoldPredictions outOfFold, int steps, (int Trial, ITransformer Model) refitted, Func<IReadOnlyDictionary<string, object>, IEstimator<ITransformer>> pipeline)
    {
        var library = study.Configurations
            .Where(c => c.Trial.State == TrialState.Complete && !double.IsNaN(c.MeanScore))
            .OrderBy(c => c.Rank).ThenBy(c => c.Trial.Number)
            .Select(c => (c.Trial, Predictions: outOfFold.Complete(c.Trial.Number)))
            .Where(c => c.Predictions is not null)
            .Take(Candidates)
            .ToList();
        if (library.Count == 0)
        {
            return null;
        }

        int[] counts = EnsembleSelection.Select([.. library.Select(c => c.Predictions!)], outOfFold.Train.Labels, outOfFold.Train.Task, steps);
        double kept = counts.Sum(); // the best step's count, at most steps
        IDataView rows = outOfFold.Train.ToDataView(ml);
        EnsembleMember[] members = [.. library
            .Select((c, i) => (c.Trial, Count: counts[i]))
            .Where(c => c.Count > 0)
            .OrderByDescending(c => c.Count).ThenBy(c => c.Trial.Number)
            .Select(c => new EnsembleMember(
                c.Trial.Number,
                c.Count / kept,
                c.Trial.Number == refitted.Trial ? refitted.Model : pipeline(c.Trial.HParams).Fit(rows)))];
        return new MLNetEnsemble(ml, outOfFold.Train.Task, outOfFold.Train.ClassCount, members);
    }
}
