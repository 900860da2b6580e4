namespace HParamsNet.Trials;

/// <summary>
/// How the error of a trial that did not fail by itself begins: every store and the log directory
/// write these words, and a study runs such a trial's configuration again.
/// </summary>
public static class TrialErrors
{
    /// <summary>Its worker went silent (killed, or its machine gone), or its process ended before the trial did.</summary>
    public const string WorkerLost = "worker lost";

    /// <summary>The study was stopped (cancelled, or its worker shut down) while the trial ran.</summary>
    public const string Interrupted = "interrupted";

    /// <summary>Whether an error says the trial was cut short from outside, so its configuration runs again.</summary>
    /// <param name="error">A failed trial's error.</param>
    public static bool RunsAgain(string? error) =>
        error is not null && (error.StartsWith(WorkerLost, StringComparison.Ordinal) || error.StartsWith(Interrupted, StringComparison.Ordinal));
}
