using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// How many trials a study may have, held by the storage when it creates one, so that workers
/// asking at the same moment never create more together (a check on a worker's copy of the study
/// could not see the others' creations).
/// </summary>
/// <param name="MaxTrials">Trials in any state, except those cut short (<see cref="FrozenTrial.RunsAgain"/>): their configurations run again in their place.</param>
/// <param name="MaxCompleteTrials">Complete and running trials together: a new trial is created only while they might not reach this many complete ones.</param>
public sealed record TrialLimits(int? MaxTrials, int? MaxCompleteTrials)
{
    /// <summary>Whether a study with these counts may create another trial.</summary>
    /// <param name="trials">Trials in any state.</param>
    /// <param name="cutShort">Trials failed as lost or interrupted.</param>
    /// <param name="completeOrRunning">Complete and running trials.</param>
    public bool Allow(int trials, int cutShort, int completeOrRunning) =>
        (MaxTrials is not int max || trials - cutShort < max) && (MaxCompleteTrials is not int maxComplete || completeOrRunning < maxComplete);
}
