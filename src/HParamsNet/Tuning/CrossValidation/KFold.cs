namespace HParamsNet.Tuning.CrossValidation;

/// <summary>
/// K-fold cross-validation (scikit-learn's <c>KFold</c>): rows in order, or shuffled with a seed,
/// cut into k consecutive folds whose sizes differ by at most one (the first <c>rows % k</c> folds
/// one larger).
/// </summary>
public sealed class KFold : FoldSplitter
{
    /// <summary>Creates the splitter.</summary>
    /// <param name="folds">How many folds; at least 2.</param>
    /// <param name="shuffle">Whether to shuffle rows before cutting.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    public KFold(int folds = 5, bool shuffle = false, int seed = 0)
        : base(folds, shuffle, seed)
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyList<CrossValidationFold> Split(int rows, IReadOnlyList<int>? labels = null)
    {
        if (rows < Folds)
        {
            throw new ArgumentException($"Cannot cut {rows} rows into {Folds} folds; use fewer folds.", nameof(rows));
        }

        int[] order = Enumerable.Range(0, rows).ToArray();
        if (Shuffle)
        {
            new Random(Seed).Shuffle(order);
        }

        var testOf = new int[rows];
        int start = 0;
        for (int fold = 0; fold < Folds; fold++)
        {
            int size = (rows / Folds) + (fold < rows % Folds ? 1 : 0);
            for (int i = start; i < start + size; i++)
            {
                testOf[order[i]] = fold;
            }

            start += size;
        }

        return FoldAssignment.ToFolds(testOf, Folds);
    }
}

/// <summary>Turns a fold number per row into folds.</summary>
internal static class FoldAssignment
{
    public static IReadOnlyList<CrossValidationFold> ToFolds(int[] testFoldOfRow, int folds) =>
        Enumerable.Range(0, folds).Select(fold => new CrossValidationFold(
            fold,
            folds,
            Enumerable.Range(0, testFoldOfRow.Length).Where(row => testFoldOfRow[row] != fold).ToArray(),
            Enumerable.Range(0, testFoldOfRow.Length).Where(row => testFoldOfRow[row] == fold).ToArray())).ToArray();
}
