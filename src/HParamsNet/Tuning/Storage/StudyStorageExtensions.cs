using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>Shorthands over <see cref="IStudyStorage"/>.</summary>
public static class StudyStorageExtensions
{
    /// <summary>Records one intermediate value of a running trial without cross-validation.</summary>
    /// <param name="storage">The storage.</param>
    /// <param name="study">The study's name.</param>
    /// <param name="number">The trial's number.</param>
    /// <param name="atStep">The step; after the trial's previous one.</param>
    /// <param name="value">The value.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">A step not after the previous one.</exception>
    /// <exception cref="InvalidOperationException">The trial is finished.</exception>
    public static ValueTask ReportAsync(this IStudyStorage storage, string study, int number, long atStep, double value, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        return storage.ReportAsync(study, number, new TrialReport { Values = [new IntermediateValue(0, atStep, value)] }, cancellationToken);
    }

    /// <summary>
    /// The study's Pareto front as the storage holds it (every worker's trials): the complete,
    /// feasible trials no other such trial dominates in the objectives the study recorded, by number.
    /// </summary>
    /// <param name="storage">The storage.</param>
    /// <param name="study">The study's name.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="InvalidOperationException">The storage has no study of that name.</exception>
    public static async ValueTask<IReadOnlyList<FrozenTrial>> GetParetoFrontAsync(this IStudyStorage storage, string study, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(storage);
        IReadOnlyList<StudySummary> studies = await storage.GetStudiesAsync(cancellationToken).ConfigureAwait(false);
        StudySummary summary = studies.FirstOrDefault(s => s.Name == study)
            ?? throw new InvalidOperationException($"The storage has no study '{study}'; it has {(studies.Count == 0 ? "none" : string.Join(", ", studies.Select(s => $"'{s.Name}'")))}.");
        return ParetoFront.Of(await storage.GetTrialsAsync(study, cancellationToken).ConfigureAwait(false), summary.Objectives);
    }
}
