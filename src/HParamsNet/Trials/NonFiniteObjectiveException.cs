using System.Globalization;

namespace HParamsNet.Trials;

/// <summary>
/// The objective returned NaN or an infinity. Such a trial is recorded as failed (as Optuna
/// does): it has no value to compare, and an infinity would otherwise become the best score.
/// </summary>
public sealed class NonFiniteObjectiveException : Exception
{
    /// <summary>Creates the exception for <paramref name="metric"/>'s value.</summary>
    /// <param name="metric">The objective's metric.</param>
    /// <param name="value">The value returned.</param>
    public NonFiniteObjectiveException(Metric metric, double value)
        : base(string.Create(CultureInfo.InvariantCulture, $"the objective returned {value} for '{metric?.Tag}': a trial's value must be a finite number, so the trial is recorded as failed. Return a finite score, or throw to say why the trial failed."))
    {
        Value = value;
    }

    /// <summary>Creates the exception.</summary>
    public NonFiniteObjectiveException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">The message.</param>
    public NonFiniteObjectiveException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public NonFiniteObjectiveException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The value the objective returned.</summary>
    public double Value { get; }
}
