using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// The trials of a study created or changed after a version a worker has already read, and the
/// version to ask from next time: a worker keeps its own copy of the study and fetches only what
/// moved, so a read costs the same at ten thousand trials as at ten.
/// </summary>
/// <param name="Trials">Snapshots of the trials created, configured, reported to or finished since the version asked from, by number.</param>
/// <param name="Version">The study's version now; ask from it next time. Versions only grow.</param>
public sealed record TrialChanges(IReadOnlyList<FrozenTrial> Trials, long Version)
{
    /// <summary>How many configurations wait in the study's queue (<see cref="IStudyStorage.EnqueueTrialAsync"/>): a worker asks the queue only when there are some.</summary>
    public int QueuedTrials { get; init; }
}
