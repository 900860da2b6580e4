using HParamsNet.Sessions;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// What every worker of a study must agree on: its name, its hparams and metrics, its objective,
/// and its folds; and what readers of the study want to know besides (its strategy). A storage
/// records all of it (<see cref="ToRecord"/>) where the tools find it.
/// </summary>
/// <param name="Name">The study's name in its storage.</param>
/// <param name="Experiment">The hparams (with their domains) and the metrics.</param>
/// <param name="Objective">The metric optimised and its direction.</param>
public sealed record StudyDefinition(string Name, HParamsExperiment Experiment, Objective Objective)
{
    private readonly IReadOnlyList<Objective>? _objectives;

    /// <summary>Every objective, in the order trials give their values; the first is <see cref="Objective"/>.</summary>
    public IReadOnlyList<Objective> Objectives
    {
        get => _objectives ?? [Objective];
        init => _objectives = value;
    }

    /// <summary>Metrics whose final value must be at most 0 for a trial to be feasible (Optuna's constraints); none by default.</summary>
    public IReadOnlyList<Metric> Constraints { get; init; } = [];

    /// <summary>The strategy's type name (e.g. <c>GpSearch</c>), recorded for readers; workers may differ in it.</summary>
    public string? Strategy { get; init; }

    /// <summary>Cross-validation folds per trial (every worker must use the same); <see langword="null"/> without cross-validation.</summary>
    public int? Folds { get; init; }

    /// <summary>The definition as the study records it for readers.</summary>
    public StudyRecord ToRecord() => new(Name, Experiment, Objective) { Objectives = Objectives, Constraints = Constraints, Strategy = Strategy, Folds = Folds };

    /// <summary>The definition a storage recorded.</summary>
    /// <param name="record">The record.</param>
    public static StudyDefinition FromRecord(StudyRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new StudyDefinition(record.Name, record.Experiment, record.Objective) { Objectives = record.Objectives, Constraints = record.Constraints, Strategy = record.Strategy, Folds = record.Folds };
    }

    /// <summary>Throws when the definition cannot name a study.</summary>
    /// <exception cref="ArgumentException">An empty name, or an objective whose metric is not one of the experiment's.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Name))
        {
            throw new ArgumentException("A study needs a name (the one every worker joins, and that the storage keeps it under); the one given is empty.", nameof(Name));
        }

        ArgumentNullException.ThrowIfNull(Experiment);
        ArgumentNullException.ThrowIfNull(Objective);
        Utf16.ThrowIfInvalid(Name, $"Study name '{Name}'", nameof(Name));
        ThrowIfNotTunable(Experiment.HParams, nameof(Experiment));
        ArgumentNullException.ThrowIfNull(Objectives);
        ArgumentNullException.ThrowIfNull(Constraints);
        if (Objectives.Count == 0 || Objectives[0] != Objective)
        {
            throw new ArgumentException($"Study '{Name}': Objectives must start with Objective ({Describe(Objective)}); give the objectives in one list.", nameof(Objectives));
        }

        foreach (Metric metric in Objectives.Select(o => o.Metric).Concat(Constraints))
        {
            if (!Experiment.Metrics.Contains(metric))
            {
                throw new ArgumentException($"Study '{Name}': the {(Constraints.Contains(metric) ? "constraint" : "objective")}'s metric '{metric.Tag}' is not one of the experiment's metrics; add it to them.", nameof(Objective));
            }
        }

        var keys = Objectives.Select(o => (o.Metric.Group, o.Metric.Tag)).Concat(Constraints.Select(c => (c.Group, c.Tag))).ToList();
        if (keys.Distinct().Count() != keys.Count)
        {
            throw new ArgumentException($"Study '{Name}': a metric is named twice among the objectives and constraints ({string.Join(", ", keys.Select(k => k.Group.Length == 0 ? k.Tag : $"{k.Group}/{k.Tag}"))}); each may be one of them once.", nameof(Objectives));
        }
    }

    /// <summary>Throws for an hparam a strategy cannot draw values for.</summary>
    /// <exception cref="ArgumentException">An hparam has <see cref="Domain.Unspecified"/>; the message names it.</exception>
    /// <exception cref="ArgumentException">A condition names an hparam that is not earlier in the space, or values outside its domain.</exception>
    internal static void ThrowIfNotTunable(IReadOnlyList<HParam> space, string paramName)
    {
        ConditionalSpace.Validate(space, paramName);
        if (space.FirstOrDefault(h => h.Domain == Domain.Unspecified) is { } hparam)
        {
            throw new ArgumentException($"Hparam '{hparam.Name}' has no domain (Domain.Unspecified), so no strategy can draw values for it. Declare it with Discrete, IntInterval or RealInterval; an experiment read from a log directory keeps only what TensorBoard stores.", paramName);
        }
    }

    /// <summary>
    /// The first difference between a recorded definition and this one, in words; <see langword="null"/>
    /// when they agree: the experiment as TensorBoard stores it, then what it does not keep (log
    /// scales, integer intervals, conditions), the objective and the folds. The strategy may differ.
    /// </summary>
    /// <param name="recorded">The definition a storage holds.</param>
    public string? DifferenceFrom(StudyDefinition recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return DifferenceFrom(recorded.Experiment.ToProto(0), recorded.Objective)
            ?? ObjectivesDifference(recorded)
            ?? SpaceDifference(recorded.Experiment.HParams, Experiment.HParams)
            ?? (recorded.Folds == Folds ? null : $"the study has {Describe(recorded.Folds)} there and {Describe(Folds)} here");
    }

    /// <summary>The first difference with a record kept by a storage: the whole record when it has one, else the experiment TensorBoard stores and the objective.</summary>
    internal string? DifferenceFrom(Protos.HParams.Experiment recordedExperiment, Objective recordedObjective, StudyRecord? record) =>
        record is null ? DifferenceFrom(recordedExperiment, recordedObjective) : DifferenceFrom(FromRecord(record));

    private string? ObjectivesDifference(StudyDefinition recorded)
    {
        if (recorded.Objectives.Count != Objectives.Count || recorded.Objectives.Zip(Objectives).Any(pair => !SameObjective(pair.First, pair.Second)))
        {
            return $"the objectives are {string.Join(", ", recorded.Objectives.Select(Describe))} there and {string.Join(", ", Objectives.Select(Describe))} here";
        }

        if (!recorded.Constraints.Select(Describe).SequenceEqual(Constraints.Select(Describe)))
        {
            return $"the constraints are [{string.Join(", ", recorded.Constraints.Select(Describe))}] there and [{string.Join(", ", Constraints.Select(Describe))}] here";
        }

        return null;
    }

    private static string Describe(Metric metric) => metric.Group.Length == 0 ? $"'{metric.Tag}'" : $"'{metric.Group}/{metric.Tag}'";

    private static string? SpaceDifference(IReadOnlyList<HParam> recorded, IReadOnlyList<HParam> here)
    {
        foreach (HParam hparam in here)
        {
            HParam? there = recorded.FirstOrDefault(h => h.Name == hparam.Name);
            if (there is not null && (there.Domain != hparam.Domain || there.Condition != hparam.Condition))
            {
                return $"hparam '{hparam.Name}' is {Describe(there)} there and {Describe(hparam)} here";
            }
        }

        return null;
    }

    private static string Describe(HParam hparam) => hparam.Condition is null ? hparam.Domain.ToString() : $"{hparam.Domain} {hparam.Condition}";

    private static string Describe(int? folds) => folds is int k ? $"{k} folds per trial" : "no cross-validation";

    /// <summary>The first difference between a recorded experiment (as TensorBoard stores it) and objective and this definition; <see langword="null"/> when they agree.</summary>
    internal string? DifferenceFrom(Protos.HParams.Experiment recordedExperiment, Objective recordedObjective)
    {
        ArgumentNullException.ThrowIfNull(recordedExperiment);
        ArgumentNullException.ThrowIfNull(recordedObjective);
        return ExperimentDifference.Describe(recordedExperiment, Experiment.ToProto(0))
            ?? (SameObjective(recordedObjective, Objective) ? null : $"the objective is {Describe(recordedObjective)} there and {Describe(Objective)} here");
    }

    /// <summary>A trial's configuration as a storage records it: every hparam present, inside its domain, numbers typed as the domain types them.</summary>
    /// <param name="hparams">Values by hparam name.</param>
    /// <exception cref="ArgumentException">A value is missing, unknown or outside its domain; the message names it.</exception>
    public IReadOnlyDictionary<string, object> NormalizeHParams(IReadOnlyDictionary<string, object> hparams)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        return StudyHParams.Validate(Experiment, hparams);
    }

    private static string Describe(Objective objective) =>
        $"{objective.Direction.ToString().ToLowerInvariant()} '{(objective.Metric.Group.Length == 0 ? objective.Metric.Tag : $"{objective.Metric.Group}/{objective.Metric.Tag}")}'";

    // A store keeps the objective's metric by group and tag (its display name and dataset type are
    // the experiment's, compared above), so the rest of the Metric record is not compared here.
    private static bool SameObjective(Objective recorded, Objective objective) =>
        recorded.Direction == objective.Direction && recorded.Metric.Group == objective.Metric.Group && recorded.Metric.Tag == objective.Metric.Tag;
}
