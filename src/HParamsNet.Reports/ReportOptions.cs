namespace HParamsNet.Reports;

/// <summary>What a study report shows and how much of it.</summary>
public sealed record ReportOptions
{
    /// <summary>The page's title.</summary>
    public string Title { get; init; } = "HParamsNet study report";

    /// <summary>The metric the report ranks by; the first metric of the sources when <see langword="null"/> (a tuner's objective comes first).</summary>
    public Metric? Objective { get; init; }

    /// <summary>Whether lower or higher is better; guessed from the metric's tag when <see langword="null"/> (loss, error, mae, mse are minimised).</summary>
    public StudyDirection? Direction { get; init; }

    /// <summary>
    /// The hparams with their domains, when known (e.g. the tuner's space): a log-scale interval
    /// gets log axes. TensorBoard does not store the scale, so without it an axis is logarithmic
    /// when its values are positive and span two decades or more, and the page says so.
    /// </summary>
    public IReadOnlyList<HParam> Space { get; init; } = [];

    /// <summary>
    /// A study's objectives when it has several (e.g. from its record): the page then draws the
    /// Pareto front (a scatter of two objectives with the front joined, a scatter matrix for more)
    /// and the hypervolume by trial. None by default.
    /// </summary>
    public IReadOnlyList<Objective> Objectives { get; init; } = [];

    /// <summary>The study's constraints (feasible when each is at most 0): infeasible trials are marked and kept off the front.</summary>
    public IReadOnlyList<Metric> Constraints { get; init; } = [];

    /// <summary>The search strategy, shown in the summary when known.</summary>
    public string? Strategy { get; init; }

    /// <summary>Lines drawn in parallel coordinates at most; more are sampled (the best tenth kept), and the page says so.</summary>
    public int MaxParallelLines { get; init; } = 2000;

    /// <summary>Intermediate-value curves drawn at most per source; more are sampled, and the page says so.</summary>
    public int MaxCurves { get; init; } = 300;

    /// <summary>The clock that stamps the report.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(Title, nameof(Title));
        ArgumentNullException.ThrowIfNull(Space, nameof(Space));
        ArgumentNullException.ThrowIfNull(Objectives, nameof(Objectives));
        ArgumentNullException.ThrowIfNull(Constraints, nameof(Constraints));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxParallelLines, 10, nameof(MaxParallelLines));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxCurves, 1, nameof(MaxCurves));
    }
}
