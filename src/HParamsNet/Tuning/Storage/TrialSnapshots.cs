using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>Builds the immutable snapshot every store returns for a trial, so that all of them fill it alike.</summary>
internal static class TrialSnapshots
{
    /// <summary>A trial's snapshot; <paramref name="byFold"/> holds each fold's intermediate values (index = fold).</summary>
    public static FrozenTrial Create(
        int number,
        IReadOnlyDictionary<string, object>? hparams,
        TrialState state,
        double value,
        IReadOnlyList<IReadOnlyList<KeyValuePair<long, double>>> byFold,
        IReadOnlyList<double> foldValues,
        DateTimeOffset started,
        DateTimeOffset? ended,
        string? error,
        IReadOnlyDictionary<string, string>? attributes) =>
        new(
            number,
            TrialNames.Trial(number),
            hparams ?? new Dictionary<string, object>(),
            state,
            value,
            Latest(byFold),
            foldValues,
            started,
            ended,
            error)
        {
            IntermediateValuesByFold = byFold,
            UserAttributes = attributes ?? new Dictionary<string, string>(StringComparer.Ordinal),
        };

    /// <summary>A snapshot with every objective's and constraint's value its outcome holds (a store that keeps outcomes as they came).</summary>
    public static FrozenTrial WithValues(FrozenTrial trial, TrialOutcome? outcome) =>
        outcome is null || (outcome.Values.Count == 0 && outcome.Constraints.Count == 0)
            ? trial
            : trial with { Values = outcome.Values.Count > 0 ? outcome.Values : trial.Values, Constraints = outcome.Constraints };

    /// <summary>Per-fold lists from (fold, step, value) rows in fold then step order.</summary>
    public static IReadOnlyList<IReadOnlyList<KeyValuePair<long, double>>> ByFold(IEnumerable<IntermediateValue> values)
    {
        var folds = new List<List<KeyValuePair<long, double>>>();
        foreach (IntermediateValue value in values)
        {
            while (folds.Count <= value.Fold)
            {
                folds.Add([]);
            }

            folds[value.Fold].Add(KeyValuePair.Create(value.Step, value.Value));
        }

        return folds;
    }

    // The latest fold that reported: what a trial's curve is while it runs, and the last fold's once it ended.
    private static IReadOnlyList<KeyValuePair<long, double>> Latest(IReadOnlyList<IReadOnlyList<KeyValuePair<long, double>>> byFold)
    {
        for (int fold = byFold.Count - 1; fold >= 0; fold--)
        {
            if (byFold[fold].Count > 0)
            {
                return byFold[fold];
            }
        }

        return [];
    }
}
