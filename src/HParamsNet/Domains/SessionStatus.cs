namespace HParamsNet;

/// <summary>How a session (one trial's run) ended, as TensorBoard records it. There is no "aborted".</summary>
public enum SessionStatus
{
    /// <summary>Not known; also what TensorBoard shows for a session with no end record.</summary>
    Unknown = 0,

    /// <summary>Finished normally.</summary>
    Success = 1,

    /// <summary>Failed.</summary>
    Failure = 2,

    /// <summary>Still running. TensorBoard keeps the first end record, so write this only if nothing follows.</summary>
    Running = 3,
}
