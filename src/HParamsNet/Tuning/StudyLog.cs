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

    // The storage's errors say what and where in their message; a stack trace would bury it.
    [LoggerMessage(EventId = 25, Level = LogLevel.Warning, Message = "Study {Study}: {What} failed ({Error}); it is tried again at the next tick")]
    public static partial void UpkeepFailed(ILogger logger, string study, string what, string error);

    [LoggerMessage(EventId = 26, Level = LogLevel.Warning, Message = "Trial {Number} of study {Study} could not be recorded as interrupted ({Error}); another worker fails it as lost once its heartbeat is old enough")]
    public static partial void InterruptFailed(ILogger logger, int number, string study, string error);

    [LoggerMessage(EventId = 27, Level = LogLevel.Information, Message = "Trial {Number} of study {Study} runs the configuration of lost trial {Lost} again; its {Carried} finished fold(s) are carried over, not trained again")]
    public static partial void FoldsCarried(ILogger logger, int number, string study, int lost, int carried);

    [LoggerMessage(EventId = 24, Level = LogLevel.Information, Message = "Trial {Number} of study {Study} ended {State} in the storage but its TensorBoard session had no end (its worker died in between); the end is written now")]
    public static partial void SessionEndRepaired(ILogger logger, int number, string study, TrialState state);
}
