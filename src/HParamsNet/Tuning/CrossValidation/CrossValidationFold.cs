namespace HParamsNet.Tuning.CrossValidation;

/// <summary>One fold of a cross-validation: which rows train and which test.</summary>
/// <param name="Index">The fold, from 0.</param>
/// <param name="Count">How many folds there are.</param>
/// <param name="TrainIndices">Rows to train on, ascending.</param>
/// <param name="TestIndices">Rows to score on, ascending.</param>
public sealed record CrossValidationFold(int Index, int Count, IReadOnlyList<int> TrainIndices, IReadOnlyList<int> TestIndices);

/// <summary>Splits rows into cross-validation folds (scikit-learn's splitters).</summary>
public interface ICrossValidator
{
    /// <summary>How many folds it makes.</summary>
    int Folds { get; }

    /// <summary>The folds of <paramref name="rows"/> rows; <paramref name="labels"/> is used by stratified splitters.</summary>
    /// <param name="rows">Rows in the data.</param>
    /// <param name="labels">Class labels, one per row, or <see langword="null"/>.</param>
    IReadOnlyList<CrossValidationFold> Split(int rows, IReadOnlyList<int>? labels);
}
