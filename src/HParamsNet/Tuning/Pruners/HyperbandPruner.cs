namespace HParamsNet.Tuning.Pruners;

/// <summary>
/// Hyperband (Li et al., 2018) over asynchronous successive halving, as Optuna's HyperbandPruner:
/// several brackets, each a successive-halving pruner that starts judging at a later rung, and
/// every trial in one bracket (by its number), compared only with trials of that bracket. It
/// hedges between pruning early and aggressively and pruning late and gently.
/// </summary>
public sealed class HyperbandPruner : Pruner
{
    private readonly SuccessiveHalvingPruner[] _brackets;

    /// <summary>Creates the pruner.</summary>
    /// <param name="minResource">The step of the earliest rung.</param>
    /// <param name="maxResource">The last step a trial reports (e.g. its epochs).</param>
    /// <param name="reductionFactor">How many trials reach a rung for each that goes beyond it.</param>
    public HyperbandPruner(long minResource = 1, long maxResource = 81, int reductionFactor = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minResource, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxResource, minResource);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        int brackets = (int)Math.Floor(Math.Log(maxResource / (double)minResource, reductionFactor) + 1e-9) + 1;
        _brackets = Enumerable.Range(0, brackets).Select(b => new SuccessiveHalvingPruner(minResource, reductionFactor, b)).ToArray();
    }

    /// <summary>How many brackets there are.</summary>
    public int Brackets => _brackets.Length;

    /// <summary>The bracket of trial <paramref name="trialNumber"/>.</summary>
    public int BracketOf(int trialNumber) => trialNumber % _brackets.Length;

    /// <inheritdoc/>
    public override bool ShouldPrune(PrunerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int bracket = BracketOf(context.TrialNumber);
        return _brackets[bracket].ShouldPrune(context, context.Trials.Where(t => BracketOf(t.Number) == bracket));
    }
}
