namespace HParamsNet.Trials;

/// <summary>
/// What a trial returns: its objective value and, optionally, final values of other metrics.
/// A plain <see cref="double"/> converts to it (the objective value).
/// </summary>
public sealed class TrialValues
{
    /// <summary>Creates the values.</summary>
    /// <param name="objective">The objective metric's final value.</param>
    /// <param name="others">Final values of other metrics of the study.</param>
    public TrialValues(double objective, IReadOnlyDictionary<Metric, double>? others = null)
    {
        Objective = objective;
        Others = others ?? new Dictionary<Metric, double>();
    }

    /// <summary>The objective metric's final value.</summary>
    public double Objective { get; }

    /// <summary>Final values of other metrics.</summary>
    public IReadOnlyDictionary<Metric, double> Others { get; }

    /// <summary>The objective value alone.</summary>
    public static implicit operator TrialValues(double objective) => new(objective);

    /// <summary>The objective value alone.</summary>
    public static TrialValues FromDouble(double objective) => new(objective);
}
