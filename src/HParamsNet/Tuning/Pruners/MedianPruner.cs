using HParamsNet.Trials;

namespace HParamsNet.Tuning.Pruners;

/// <summary>
/// Stops a trial whose best reported value so far is worse than the median of the values that
/// completed trials reported at the same step (Optuna's MedianPruner).
/// </summary>
public sealed class MedianPruner : Pruner
{
    /// <summary>Creates the pruner.</summary>
    /// <param name="startupTrials">Completed trials needed before anything is pruned.</param>
    /// <param name="warmupSteps">Steps of each trial never pruned.</param>
    /// <param name="intervalSteps">Judge only every this many steps after the warm-up.</param>
    public MedianPruner(int startupTrials = 5, long warmupSteps = 0, long intervalSteps = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(startupTrials);
        ArgumentOutOfRangeException.ThrowIfNegative(warmupSteps);
        ArgumentOutOfRangeException.ThrowIfLessThan(intervalSteps, 1);
        StartupTrials = startupTrials;
        WarmupSteps = warmupSteps;
        IntervalSteps = intervalSteps;
    }

    /// <summary>Completed trials needed before anything is pruned.</summary>
    public int StartupTrials { get; }

    /// <summary>Steps of each trial never pruned.</summary>
    public long WarmupSteps { get; }

    /// <summary>Judge only every this many steps after the warm-up.</summary>
    public long IntervalSteps { get; }

    /// <inheritdoc/>
    public override bool ShouldPrune(PrunerContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.IntermediateValues.Count == 0)
        {
            return false;
        }

        long step = context.IntermediateValues[^1].Key;
        if (step < WarmupSteps || (step - WarmupSteps) % IntervalSteps != 0)
        {
            return false;
        }

        var completed = context.Trials.Where(t => t.State == TrialState.Complete).ToList();
        if (completed.Count < StartupTrials)
        {
            return false;
        }

        var atStep = completed.SelectMany(t => t.IntermediateValues.Where(p => p.Key == step).Select(p => p.Value).Take(1))
            .Where(v => !double.IsNaN(v)).Order().ToList();
        if (atStep.Count == 0)
        {
            return false;
        }

        double median = atStep.Count % 2 == 1 ? atStep[atStep.Count / 2] : (atStep[(atStep.Count / 2) - 1] + atStep[atStep.Count / 2]) / 2;
        bool minimize = context.Objective.Direction == StudyDirection.Minimize;
        var values = context.IntermediateValues.Select(p => p.Value).Where(v => !double.IsNaN(v)).ToList();
        if (values.Count == 0)
        {
            return true; // only NaN so far: worse than any median
        }

        double best = minimize ? values.Min() : values.Max();
        return minimize ? best > median : best < median;
    }
}
