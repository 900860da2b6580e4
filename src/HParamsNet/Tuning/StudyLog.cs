using HParamsNet.Trials;
using Microsoft.Extensions.Logging;

namespace HParamsNet.Tuning;

/// <summary>The ask-and-tell study's log messages, compiled once.</summary>
internal static partial class StudyLog
{
    [LoggerMessage(EventId = 21, Level = LogLevel.Warning, Message = "Trial {Number} of study {Study} failed: {Reason}; its configuration runs again")]
    public static partial void WorkerLost(ILogger logger, int number, string study, string reason);

    [LoggerMessage(EventId = 22, Level = LogLevel.Warning, Message = "Trial {Number} of study {Study} was told after another worker had failed it as lost; its result is not recorded")]
    public static partial void ToldTooLate(ILogger logger, int number, string study);

    [LoggerMessage(EventId = 23, Level = LogLevel.Warning, Message = "Heartbeat of trial {Number} of study {Study} failed")]
    public static partial void HeartbeatFailed(ILogger logger, int number, string study, Exception exception);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Trial {Number} of study {Study} ended {State} in the storage but its TensorBoard session had no end (its worker died in between); the end is written now")]
    public static partial void SessionEndRepaired(ILogger logger, int number, string study, TrialState state);
}
