namespace HParamsNet.Sessions;

/// <summary>
/// Which rows of a <see cref="ComparisonTable"/> to keep and in which order: hparam values every
/// row must have, a metric to rank by (best first, by its direction), and how many rows.
/// What <c>hparams compare --where --metric --sort --top</c> does, for any caller.
/// </summary>
public sealed record ComparisonQuery
{
    /// <summary>Hparam values a row must have, by name (16 matches 16.0).</summary>
    public IReadOnlyDictionary<string, object> Where { get; init; } = new Dictionary<string, object>();

    /// <summary>The metric rows are ranked by, on its last value (a group's mean); rows without it come last. <see langword="null"/>: the table's order.</summary>
    public Metric? RankBy { get; init; }

    /// <summary>Whether lower or higher values of <see cref="RankBy"/> are better.</summary>
    public StudyDirection Direction { get; init; } = StudyDirection.Maximize;

    /// <summary>At most this many rows, after ranking.</summary>
    public int? Top { get; init; }
}
