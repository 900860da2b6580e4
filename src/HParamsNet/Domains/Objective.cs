namespace HParamsNet;

/// <summary>Whether the objective metric is to be made large or small.</summary>
public enum StudyDirection
{
    /// <summary>Higher is better (accuracy).</summary>
    Maximize = 0,

    /// <summary>Lower is better (loss, error).</summary>
    Minimize = 1,
}

/// <summary>What a study optimises: one metric and a direction.</summary>
/// <param name="Metric">The metric; trials report it and TensorBoard shows it.</param>
/// <param name="Direction">Whether to maximise or minimise it.</param>
public sealed record Objective(Metric Metric, StudyDirection Direction)
{
    /// <summary>Whether <paramref name="candidate"/> is better than <paramref name="incumbent"/> (NaN is never better).</summary>
    public bool IsBetter(double candidate, double incumbent) =>
        !double.IsNaN(candidate) && (double.IsNaN(incumbent) || (Direction == StudyDirection.Maximize ? candidate > incumbent : candidate < incumbent));

    /// <summary>Orders values best first (NaN last).</summary>
    public int CompareBestFirst(double x, double y)
    {
        if (double.IsNaN(x) || double.IsNaN(y))
        {
            return double.IsNaN(x).CompareTo(double.IsNaN(y));
        }

        return Direction == StudyDirection.Maximize ? y.CompareTo(x) : x.CompareTo(y);
    }
}
