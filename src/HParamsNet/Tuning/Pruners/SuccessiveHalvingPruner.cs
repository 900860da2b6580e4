using HParamsNet.Trials;

namespace HParamsNet.Tuning.Pruners;

/// <summary>
/// Asynchronous successive halving (ASHA; Li et al., 2020; Optuna's SuccessiveHalvingPruner):
/// rung k sits at step <c>minResource * reductionFactor^(minEarlyStoppingRate + k)</c>; a trial
/// that reaches a rung goes on only if its value there is among the best 1/reductionFactor of the
/// values other trials had at that rung (the best, while fewer than reductionFactor trials got
/// there). Asynchronous: it compares with whatever trials have finished, so it works with
/// parallel trials. Values at a rung are read back from the trials' reports, so resume keeps them.
/// </summary>
public sealed class SuccessiveHalvingPruner : Pruner
{
    /// <summary>Creates the pruner.</summary>
    /// <param name="minResource">The step of the first rung (with <paramref name="minEarlyStoppingRate"/> 0).</param>
    /// <param name="reductionFactor">How many trials reach a rung for each that goes beyond it.</param>
    /// <param name="minEarlyStoppingRate">Rungs skipped at the start.</param>
    public SuccessiveHalvingPruner(long minResource = 1, int reductionFactor = 3, int minEarlyStoppingRate = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(minResource, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(reductionFactor, 2);
        ArgumentOutOfRangeException.ThrowIfNegative(minEarlyStoppingRate);
        MinResource = minResource;
        ReductionFactor = reductionFactor;
        MinEarlyStoppingRate = minEarlyStoppingRate;
    }

    /// <summary>The step of the first rung.</summary>
    public long MinResource { get; }

    /// <summary>How many trials reach a rung for each that goes beyond it.</summary>
    public int ReductionFactor { get; }

    /// <summary>Rungs skipped at the start.</summary>
    public int MinEarlyStoppingRate { get; }

    /// <summary>The step of rung <paramref name="rung"/>.</summary>
    public long RungStep(int rung) => MinResource * (long)Math.Pow(ReductionFactor, MinEarlyStoppingRate + rung);

    /// <inheritdoc/>
    public override bool ShouldPrune(PrunerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return ShouldPrune(context, context.Trials);
    }

    /// <summary>The rule, judged against <paramref name="competitors"/> only (Hyperband passes one bracket).</summary>
    internal bool ShouldPrune(PrunerContext context, IEnumerable<FrozenTrial> competitors)
    {
        IReadOnlyList<KeyValuePair<long, double>> reports = context.IntermediateValues;
        if (reports.Count == 0)
        {
            return false;
        }

        long step = reports[^1].Key;
        long previous = reports.Count > 1 ? reports[^2].Key : long.MinValue;

        // The rung this report crossed, if any: earlier rungs were judged at earlier reports.
        int rung = 0;
        while (RungStep(rung + 1) <= step)
        {
            rung++;
        }

        long rungStep = RungStep(rung);
        if (step < rungStep || previous >= rungStep)
        {
            return false;
        }

        double value = reports[^1].Value;
        if (double.IsNaN(value))
        {
            return true;
        }

        var competing = competitors
            .Select(t => ValueAtRung(t.IntermediateValues, rungStep))
            .OfType<double>()
            .Where(v => !double.IsNaN(v))
            .Append(value)
            .ToList();
        bool minimize = context.Objective.Direction == StudyDirection.Minimize;
        competing.Sort();
        if (!minimize)
        {
            competing.Reverse();
        }

        int promotable = Math.Max((competing.Count / ReductionFactor) - 1, 0);
        return minimize ? value > competing[promotable] : value < competing[promotable];
    }

    // A trial's value at a rung: what it reported at the first step at or beyond the rung's step.
    private static double? ValueAtRung(IReadOnlyList<KeyValuePair<long, double>> reports, long rungStep)
    {
        foreach (KeyValuePair<long, double> report in reports)
        {
            if (report.Key >= rungStep)
            {
                return report.Value;
            }
        }

        return null;
    }
}
