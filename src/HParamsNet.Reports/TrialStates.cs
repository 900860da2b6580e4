using HParamsNet.Sessions;

namespace HParamsNet.Reports;

/// <summary>A trial's state from its sessions, in Optuna's words.</summary>
internal static class TrialStates
{
    public const string Complete = "complete";
    public const string Pruned = "pruned";
    public const string Failed = "failed";
    public const string Running = "running";
    public const string Unknown = "unknown";

    // A fold that failed or was pruned decides the trial's state; other writers' UNKNOWN ends stay unknown.
    public static string Of(IReadOnlyList<SessionRecord> sessions)
    {
        if (sessions.Any(s => s.HasEnd && s.Status == SessionStatus.Failure))
        {
            return Failed;
        }

        if (sessions.Any(s => s.IsPruned))
        {
            return Pruned;
        }

        if (sessions.Any(s => !s.HasEnd || s.Status == SessionStatus.Running))
        {
            return Running;
        }

        return sessions.All(s => s.Status == SessionStatus.Success) ? Complete : Unknown;
    }
}
