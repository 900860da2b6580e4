namespace HParamsNet;

/// <summary>What every worker of a study must agree on: its name, its hparams and metrics, and its objective.</summary>
/// <param name="Name">The study's name in its storage.</param>
/// <param name="Experiment">The hparams (with their domains) and the metrics.</param>
/// <param name="Objective">The metric optimised and its direction.</param>
public sealed record StudyDefinition(string Name, HParamsExperiment Experiment, Objective Objective)
{
    /// <summary>Throws when the definition cannot name a study.</summary>
    /// <exception cref="ArgumentException">An empty name, or an objective whose metric is not one of the experiment's.</exception>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name);
        ArgumentNullException.ThrowIfNull(Experiment);
        ArgumentNullException.ThrowIfNull(Objective);
        Utf16.ThrowIfInvalid(Name, $"Study name '{Name}'", nameof(Name));
        if (!Experiment.Metrics.Contains(Objective.Metric))
        {
            throw new ArgumentException($"Study '{Name}': the objective's metric '{Objective.Metric.Tag}' is not one of the experiment's metrics; add it to them.", nameof(Objective));
        }
    }

    /// <summary>The first difference between a recorded definition and this one, in words; <see langword="null"/> when they agree.</summary>
    /// <param name="recorded">The definition a storage holds.</param>
    public string? DifferenceFrom(StudyDefinition recorded)
    {
        ArgumentNullException.ThrowIfNull(recorded);
        return ExperimentDifference.Describe(recorded.Experiment.ToProto(0), Experiment.ToProto(0))
            ?? (recorded.Objective == Objective ? null : $"the objective is {Describe(recorded.Objective)} there and {Describe(Objective)} here");
    }

    private static string Describe(Objective objective) =>
        $"{objective.Direction.ToString().ToLowerInvariant()} '{(objective.Metric.Group.Length == 0 ? objective.Metric.Tag : $"{objective.Metric.Group}/{objective.Metric.Tag}")}'";
}
