namespace HParamsNet.Tuning.Storage;

/// <summary>One intermediate value of the objective: the fold (session) that reported it, its step and the value.</summary>
/// <param name="Fold">The fold's index; 0 for a trial without cross-validation.</param>
/// <param name="Step">The step; each fold's steps increase.</param>
/// <param name="Value">The value.</param>
public readonly record struct IntermediateValue(int Fold, long Step, double Value);

/// <summary>
/// What a running trial reported since its last report, written in one step: a worker sends its
/// reports as they happen (batched over a few milliseconds), so that every other worker's pruner
/// sees the curve and a lost trial keeps what it reported.
/// </summary>
public sealed record TrialReport
{
    private static readonly IReadOnlyDictionary<string, string> None = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>New intermediate values, in the order reported.</summary>
    public IReadOnlyList<IntermediateValue> Values { get; init; } = [];

    /// <summary>The values of every fold finished so far, in fold order (replacing those recorded); <see langword="null"/>: unchanged.</summary>
    public IReadOnlyList<double>? FoldValues { get; init; }

    /// <summary>User attributes set or replaced.</summary>
    public IReadOnlyDictionary<string, string> UserAttributes { get; init; } = None;

    /// <summary>Whether there is nothing to write.</summary>
    public bool IsEmpty => Values.Count == 0 && FoldValues is null && UserAttributes.Count == 0;
}
