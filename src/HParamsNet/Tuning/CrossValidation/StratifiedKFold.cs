namespace HParamsNet.Tuning.CrossValidation;

/// <summary>
/// Stratified k-fold cross-validation: each fold holds every class in about the proportion of
/// the whole data. Each class's rows (shuffled with the seed, if asked) are dealt to the folds in
/// turn, continuing where the previous class stopped, so fold sizes differ by at most one.
/// </summary>
public sealed class StratifiedKFold : FoldSplitter
{
    /// <summary>Creates the splitter.</summary>
    /// <param name="folds">How many folds; at least 2.</param>
    /// <param name="shuffle">Whether to shuffle each class's rows first.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    public StratifiedKFold(int folds = 5, bool shuffle = false, int seed = 0)
        : base(folds, shuffle, seed)
    {
    }

    /// <inheritdoc/>
    public override IReadOnlyList<CrossValidationFold> Split(int rows, IReadOnlyList<int>? labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (labels.Count != rows)
        {
            throw new ArgumentException($"{labels.Count} labels for {rows} rows; give one label per row.", nameof(labels));
        }

        var random = new Random(Seed);
        var testOf = new int[rows];
        int next = 0;
        foreach (IGrouping<int, int> group in Enumerable.Range(0, rows).GroupBy(row => labels[row]).OrderBy(g => g.Key))
        {
            int[] members = group.ToArray();
            if (members.Length < Folds)
            {
                throw new ArgumentException($"Class {group.Key} has {members.Length} rows, fewer than the {Folds} folds; use fewer folds or KFold.", nameof(labels));
            }

            if (Shuffle)
            {
                random.Shuffle(members);
            }

            foreach (int row in members)
            {
                testOf[row] = next;
                next = (next + 1) % Folds;
            }
        }

        return FoldAssignment.ToFolds(testOf, Folds);
    }
}
