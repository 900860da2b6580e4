using HParamsNet.Tuning.CrossValidation;

namespace HParamsNet.Tuning;

/// <summary>Cross-validation of each configuration: the splitter and the data it splits.</summary>
/// <param name="Splitter">How rows are split (<see cref="KFold"/>, <see cref="StratifiedKFold"/>).</param>
/// <param name="Rows">Rows in the data.</param>
/// <param name="Labels">Class labels per row, for stratified splitting; <see langword="null"/> otherwise.</param>
public sealed record CrossValidationOptions(ICrossValidator Splitter, int Rows, IReadOnlyList<int>? Labels = null);
