using HParamsNet.Trials;
using Microsoft.Extensions.Logging;

namespace HParamsNet.Tuning;

/// <summary>The tuner's log messages, compiled once (no formatting unless enabled).</summary>
internal static partial class TunerLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Study in {LogDir}: {Finished} trials finished earlier, {Interrupted} interrupted (failed as lost; their configurations run again, finished folds carried over)")]
    public static partial void Resumed(ILogger logger, string logDir, int finished, int interrupted);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Trial {Number} started: {HParams}")]
    public static partial void TrialStarted(ILogger logger, int number, string hparams);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Trial {Number} finished: {State}, value {Value} (best {Best} at trial {BestNumber}); {Finished}/{Total} done, about {Remaining} left")]
    public static partial void TrialFinished(ILogger logger, int number, TrialState state, double value, double best, int bestNumber, int finished, string total, string remaining);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Trial {Number} failed: {Error}")]
    public static partial void TrialFailed(ILogger logger, int number, string error, Exception exception);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Study stopped: {Reason}")]
    public static partial void Stopped(ILogger logger, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Warm start: {Count} prior trials from {LogDir} ({Skipped} outside this space skipped)")]
    public static partial void WarmStart(ILogger logger, int count, string logDir, int skipped);


    /// <summary>Says a trial finished and where the study stands (formatting only when the level is on).</summary>
    public static void Finished(ILogger logger, FrozenTrial trial, TunerProgress progress)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
#pragma warning disable CA1873 // guarded by IsEnabled just above
            TrialFinished(
                logger,
                trial.Number,
                trial.State,
                trial.Value,
                progress.Best?.Value ?? double.NaN,
                progress.Best?.Number ?? 0,
                progress.Finished,
                progress.Total?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?",
                progress.Remaining is TimeSpan left ? left.ToString(@"hh\:mm\:ss", System.Globalization.CultureInfo.InvariantCulture) : "?");
#pragma warning restore CA1873
        }
    }
}
