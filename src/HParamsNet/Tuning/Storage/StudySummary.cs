namespace HParamsNet.Tuning.Storage;

/// <summary>A study as a storage records it: enough to show it, or to write its TensorBoard log directory again, without the code that ran it.</summary>
/// <param name="Name">The study's name.</param>
/// <param name="Experiment">Its hparams and metrics: as declared when the storage recorded the study's definition; else as TensorBoard stores them (an <see cref="IntInterval"/> or a log scale reads as a <see cref="RealInterval"/>).</param>
/// <param name="Objective">The metric optimised and its direction.</param>
/// <param name="Created">When the study was created.</param>
public sealed record StudySummary(string Name, HParamsExperiment Experiment, Objective Objective, DateTimeOffset Created)
{
    private readonly IReadOnlyList<Objective>? _objectives;

    /// <summary>Every objective, in the order of each trial's values; the first is <see cref="Objective"/>.</summary>
    public IReadOnlyList<Objective> Objectives
    {
        get => _objectives ?? [Objective];
        init => _objectives = value;
    }

    /// <summary>Metrics whose final value must be at most 0 for a trial to be feasible.</summary>
    public IReadOnlyList<Metric> Constraints { get; init; } = [];

    /// <summary>The strategy's type name, when recorded.</summary>
    public string? Strategy { get; init; }

    /// <summary>Cross-validation folds per trial, when the study has them.</summary>
    public int? Folds { get; init; }

    /// <summary>The study's definition as recorded.</summary>
    public StudyDefinition Definition => new(Name, Experiment, Objective) { Objectives = Objectives, Constraints = Constraints, Strategy = Strategy, Folds = Folds };
}
