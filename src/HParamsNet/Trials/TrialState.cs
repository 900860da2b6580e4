namespace HParamsNet.Trials;

/// <summary>Where a trial stands. The numbers are persisted: never renumber.</summary>
public enum TrialState
{
    /// <summary>Started and not finished (or interrupted: no end record on disk).</summary>
    Running = 0,

    /// <summary>Finished and returned its value(s).</summary>
    Complete = 1,

    /// <summary>Threw; the error is recorded.</summary>
    Failed = 2,

    /// <summary>Stopped early by a pruner.</summary>
    Pruned = 3,
}
