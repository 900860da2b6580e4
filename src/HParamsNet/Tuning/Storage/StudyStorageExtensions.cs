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
}
