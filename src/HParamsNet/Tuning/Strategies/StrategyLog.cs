using Microsoft.Extensions.Logging;

namespace HParamsNet.Tuning.Strategies;

/// <summary>What asking a strategy says, compiled once.</summary>
internal static partial class StrategyLog
{
    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Trial {Number}: {Strategy} proposed a configuration that was already tried or is running; {Outcome}")]
    private static partial void RepeatReplaced(ILogger logger, int number, string strategy, string outcome);

    public static void RepeatReplaced(ILogger logger, int number, string strategy, bool replaced) =>
        RepeatReplaced(logger, number, strategy, replaced ? "an untried configuration is used instead" : "no untried configuration is left");
}
