using HParamsNet.Trials;

namespace HParamsNet.Tuning.Storage;

/// <summary>How a trial ended, as a storage records it.</summary>
/// <param name="State">Complete, Pruned or Failed.</param>
/// <param name="Value">The objective value of a complete trial (the mean over folds); NaN otherwise.</param>
/// <param name="FoldValues">Per fold with cross-validation; empty without.</param>
/// <param name="Error">Why a failed trial failed.</param>
public sealed record TrialOutcome(TrialState State, double Value, IReadOnlyList<double> FoldValues, string? Error)
{
    /// <summary>Complete, Pruned or Failed: a trial is not finished as Running.</summary>
    public TrialState State { get; init; } = State == TrialState.Running || !Enum.IsDefined(State)
        ? throw new ArgumentException($"A trial is finished as Complete, Pruned or Failed, not {State}.", nameof(State))
        : State;

    /// <summary>How the error of a trial failed as stale begins (every store writes it): its worker went silent, and its configuration runs again.</summary>
    public const string WorkerLost = TrialErrors.WorkerLost;

    /// <summary>A complete trial with its (finite) value.</summary>
    /// <param name="value">The objective value.</param>
    /// <param name="foldValues">Per fold, with cross-validation.</param>
    public static TrialOutcome Complete(double value, IReadOnlyList<double>? foldValues = null) =>
        double.IsFinite(value)
            ? new(TrialState.Complete, value, foldValues ?? [], null)
            : throw new ArgumentException($"A complete trial needs a finite value, not {value}; record it as failed.", nameof(value));

    /// <summary>Every objective's value of a complete trial, in the study's order (the first is <see cref="Value"/>); empty for one objective or an unfinished trial.</summary>
    public IReadOnlyList<double> Values { get; init; } = [];

    /// <summary>The study's constraints' values of a complete trial, in their order; empty when it has none.</summary>
    public IReadOnlyList<double> Constraints { get; init; } = [];

    /// <summary>A complete trial of a study with several objectives, or with constraints.</summary>
    /// <param name="values">Each objective's (finite) value, in the study's order.</param>
    /// <param name="constraints">Each constraint's (finite) value, in the study's order.</param>
    /// <param name="foldValues">The first objective's value per fold, with cross-validation.</param>
    public static TrialOutcome Complete(IReadOnlyList<double> values, IReadOnlyList<double> constraints, IReadOnlyList<double>? foldValues = null)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(constraints);
        if (values.Count == 0 || !values.All(double.IsFinite) || !constraints.All(double.IsFinite))
        {
            throw new ArgumentException($"A complete trial needs a finite value for each objective and constraint, not [{string.Join(", ", values)}] and [{string.Join(", ", constraints)}]; record it as failed.", nameof(values));
        }

        return Complete(values[0], foldValues) with { Values = values.Count > 1 ? [.. values] : [], Constraints = [.. constraints] };
    }

    /// <summary>A trial stopped early by a pruner.</summary>
    /// <param name="foldValues">Per fold finished before, with cross-validation.</param>
    public static TrialOutcome Pruned(IReadOnlyList<double>? foldValues = null) => new(TrialState.Pruned, double.NaN, foldValues ?? [], null);

    /// <summary>A failed trial and why.</summary>
    /// <param name="error">What went wrong.</param>
    /// <param name="foldValues">Per fold finished before, with cross-validation.</param>
    public static TrialOutcome Failed(string error, IReadOnlyList<double>? foldValues = null) => new(TrialState.Failed, double.NaN, foldValues ?? [], error);
}
