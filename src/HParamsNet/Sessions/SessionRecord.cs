using HParamsNet.Events;

namespace HParamsNet.Sessions;

/// <summary>
/// A TensorBoard HParams session as read from a log directory: a run with a session start, its
/// hparams, status and times, and the scalar series of its run and sub-runs.
/// </summary>
/// <param name="Name">The run name, relative to the log directory.</param>
/// <param name="GroupName">The session group (the session's name when none was written).</param>
/// <param name="HParams">Values by hparam name.</param>
/// <param name="Status">The status of its first session end; Unknown without one.</param>
/// <param name="HasEnd">Whether a session end was written.</param>
/// <param name="StartTime">Start, Unix seconds.</param>
/// <param name="EndTime">End, Unix seconds; 0 without an end.</param>
/// <param name="Scalars">Series by (group, tag): group is the sub-run relative to the session, "" for its own run.</param>
/// <param name="Texts">Text summaries of the session's own run, by tag (last value).</param>
public sealed record SessionRecord(
    string Name,
    string GroupName,
    IReadOnlyDictionary<string, object> HParams,
    SessionStatus Status,
    bool HasEnd,
    double StartTime,
    double EndTime,
    IReadOnlyDictionary<(string Group, string Tag), IReadOnlyList<ScalarPoint>> Scalars,
    IReadOnlyDictionary<string, string> Texts)
{
    /// <summary>The text tag a tuner writes how a trial ended under ("pruned at step N", an error message).</summary>
    public const string StatusTextTag = "tuner/status";

    /// <summary>Whether a tuner pruned the session: ended UNKNOWN with a "pruned" status text (TensorBoard has no pruned status).</summary>
    public bool IsPruned =>
        HasEnd && Status == SessionStatus.Unknown && Texts.GetValueOrDefault(StatusTextTag)?.StartsWith("pruned", StringComparison.Ordinal) == true;

    /// <summary>The last point of a series, as TensorBoard's HParams dashboard shows it, or <see langword="null"/>.</summary>
    public ScalarPoint? Last(string group, string tag) =>
        Scalars.TryGetValue((group, tag), out IReadOnlyList<ScalarPoint>? points) && points.Count > 0 ? points[^1] : null;
}
