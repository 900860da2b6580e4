namespace HParamsNet.Tuning.CrossValidation;

/// <summary>
/// What the k-fold splitters share: the number of folds and the optional seeded shuffle. A closed
/// family (its constructor is not open to other assemblies): write another splitter against
/// <see cref="ICrossValidator"/>.
/// </summary>
public abstract class FoldSplitter : ICrossValidator
{
    /// <summary>Creates the splitter.</summary>
    /// <param name="folds">How many folds; at least 2.</param>
    /// <param name="shuffle">Whether to shuffle rows first.</param>
    /// <param name="seed">Seed of the shuffle.</param>
    private protected FoldSplitter(int folds, bool shuffle, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(folds, 2);
        Folds = folds;
        Shuffle = shuffle;
        Seed = seed;
    }

    /// <inheritdoc/>
    public int Folds { get; }

    /// <summary>Whether rows are shuffled first.</summary>
    public bool Shuffle { get; }

    /// <summary>Seed of the shuffle.</summary>
    public int Seed { get; }

    /// <inheritdoc/>
    public abstract IReadOnlyList<CrossValidationFold> Split(int rows, IReadOnlyList<int>? labels);
}
