using HParamsNet.Tuning.Pruners;

namespace HParamsNet.Tuning;

/// <summary>What a study's objectives and constraints must be, for <see cref="TunerOptions"/> and <see cref="StudyOptions"/> alike.</summary>
internal static class ObjectiveRules
{
    /// <exception cref="ArgumentException">No objective, a null one, a pruner on several objectives, or cross-validation with several objectives or constraints.</exception>
    public static void Validate(IReadOnlyList<Objective> objectives, IReadOnlyList<Metric> constraints, Pruner pruner, bool crossValidated)
    {
        if (objectives is null || objectives.Count == 0 || objectives.Any(o => o is null))
        {
            throw new ArgumentException("A study needs an objective: set Objective (a metric and a direction), or Objectives for several.");
        }

        if (constraints is null || constraints.Any(c => c is null))
        {
            throw new ArgumentException("Constraints holds no metric (null); list the metrics that must stay at most 0, or none.");
        }

        if (objectives.Count > 1 && pruner is not NoPruner)
        {
            // As Optuna: a pruner ranks one curve, and several objectives have no one order.
            throw new ArgumentException($"{pruner.GetType().Name} compares the intermediate values of one objective; a study with {objectives.Count} objectives is not pruned. Leave Pruner unset.");
        }

        if (crossValidated && (objectives.Count > 1 || constraints.Count > 0))
        {
            throw new ArgumentException($"Cross-validation keeps one objective's value per fold; a study with {objectives.Count} objective(s) and {constraints.Count} constraint(s) cannot use it yet. Score each configuration on a validation split instead, or use one objective without constraints.");
        }
    }
}
