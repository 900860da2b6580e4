namespace HParamsNet.Trials;

/// <summary>
/// Thrown by an objective to stop a trial that its pruner condemned (Optuna's <c>TrialPruned</c>):
/// <c>if (trial.ShouldPrune) throw new TrialPrunedException();</c>. The tuner records the trial as
/// pruned, not failed.
/// </summary>
public sealed class TrialPrunedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public TrialPrunedException()
        : base("The trial was pruned.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public TrialPrunedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public TrialPrunedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
