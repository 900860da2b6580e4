namespace HParamsNet.Trials;

/// <summary>
/// What a trial returns: its objective values, in the order of the study's objectives, and,
/// optionally, final values of other metrics (constraints among them). A plain <see cref="double"/>
/// converts to it (the value of a study's one objective).
/// </summary>
public sealed class TrialValues
{
    /// <summary>Creates the values of a study with one objective.</summary>
    /// <param name="objective">The objective metric's final value.</param>
    /// <param name="others">Final values of other metrics of the study.</param>
    public TrialValues(double objective, IReadOnlyDictionary<Metric, double>? others = null)
        : this([objective], others)
    {
    }

    /// <summary>Creates the values of a study with several objectives.</summary>
    /// <param name="objectives">Each objective's final value, in the order of the study's objectives.</param>
    /// <param name="others">Final values of other metrics of the study; every constraint's among them.</param>
    /// <exception cref="ArgumentException"><paramref name="objectives"/> is empty.</exception>
    public TrialValues(IReadOnlyList<double> objectives, IReadOnlyDictionary<Metric, double>? others = null)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        if (objectives.Count == 0)
        {
            throw new ArgumentException("A trial returns a value for each objective of its study; none was given.", nameof(objectives));
        }

        Objectives = [.. objectives];
        Others = others ?? new Dictionary<Metric, double>();
    }

    /// <summary>The first (with one objective, the only) objective's final value.</summary>
    public double Objective => Objectives[0];

    /// <summary>Each objective's final value, in the order of the study's objectives.</summary>
    public IReadOnlyList<double> Objectives { get; }

    /// <summary>Final values of other metrics.</summary>
    public IReadOnlyDictionary<Metric, double> Others { get; }

    /// <summary>The objective value alone.</summary>
    public static implicit operator TrialValues(double objective) => new(objective);

    /// <summary>The objective value alone.</summary>
    public static TrialValues FromDouble(double objective) => new(objective);
}
