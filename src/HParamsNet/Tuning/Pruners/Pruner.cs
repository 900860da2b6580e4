using HParamsNet.Trials;

namespace HParamsNet.Tuning.Pruners;

/// <summary>
/// Decides whether a running trial should stop early, from the values it has reported
/// (Optuna's pruner). Called after each report of the objective metric (<c>Trial.Report</c>).
/// </summary>
public abstract class Pruner
{
    /// <summary>Whether the trial should stop now.</summary>
    /// <param name="context">The trial's reports so far and the finished trials.</param>
    public abstract bool ShouldPrune(PrunerContext context);
}

/// <summary>What a <see cref="Pruner"/> sees.</summary>
/// <param name="Objective">The metric and direction.</param>
/// <param name="TrialNumber">The trial being judged.</param>
/// <param name="IntermediateValues">Its objective values so far (of the fold it runs, with cross-validation), by step, in report order.</param>
/// <param name="Trials">
/// Every other trial of the study as the storage holds it now, every worker's: finished ones, and
/// running ones with what they reported so far (filter by <see cref="FrozenTrial.State"/>). With
/// cross-validation each trial's <see cref="FrozenTrial.IntermediateValues"/> are those of the same
/// fold as the trial judged, so that folds are compared with folds.
/// </param>
public sealed record PrunerContext(
    Objective Objective,
    int TrialNumber,
    IReadOnlyList<KeyValuePair<long, double>> IntermediateValues,
    IReadOnlyList<FrozenTrial> Trials);

/// <summary>Never prunes.</summary>
public sealed class NoPruner : Pruner
{
    /// <inheritdoc/>
    public override bool ShouldPrune(PrunerContext context) => false;
}
