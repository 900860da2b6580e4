using HParamsNet.Tuning.Storage;
using Microsoft.Extensions.Logging;

namespace HParamsNet.Tuning;

/// <summary>
/// The background work of one <see cref="Study"/> object: sends what its running trials reported
/// (at most <see cref="StudyOptions.ReportInterval"/> late), says they are alive when they have not
/// reported for <see cref="StudyOptions.HeartbeatInterval"/>, and, with a pruner, keeps the copy of
/// the study fresh so that pruners judge the study as it is now. One loop per study object, ended
/// and awaited by its <see cref="DisposeAsync"/>; a failure is logged and tried again at the next
/// tick, never lost in an unobserved task.
/// </summary>
internal sealed class StudyUpkeep : IAsyncDisposable
{
    private readonly Func<IReadOnlyList<LiveTrial>> _live;
    private readonly IStudyStorage _storage;
    private readonly string _study;
    private readonly StudyTrialsCopy? _refreshed;
    private readonly TimeSpan _heartbeat;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly PeriodicTimer _timer;
    private readonly Task _loop;

    /// <summary>Starts the loop.</summary>
    /// <param name="live">The trials this object runs now.</param>
    /// <param name="storage">The study's storage.</param>
    /// <param name="study">The study's name.</param>
    /// <param name="refreshed">The copy to keep fresh (with a pruner); <see langword="null"/>: none.</param>
    /// <param name="reportInterval">How late reports may be.</param>
    /// <param name="heartbeat">How often a trial must be heard of.</param>
    /// <param name="time">The clock.</param>
    /// <param name="logger">Where failures are said.</param>
    public StudyUpkeep(Func<IReadOnlyList<LiveTrial>> live, IStudyStorage storage, string study, StudyTrialsCopy? refreshed, TimeSpan reportInterval, TimeSpan heartbeat, TimeProvider time, ILogger logger)
    {
        _live = live;
        _storage = storage;
        _study = study;
        _refreshed = refreshed;
        _heartbeat = heartbeat;
        _time = time;
        _logger = logger;
        _timer = new PeriodicTimer(reportInterval < heartbeat / 2 ? reportInterval : heartbeat / 2, time);
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Ends the loop and waits for the tick in progress.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _timer.Dispose();
        await _loop.ConfigureAwait(false);
        _stop.Dispose();
    }

    private async Task LoopAsync()
    {
        CancellationToken stop = _stop.Token;
        try
        {
            while (await _timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                IReadOnlyList<LiveTrial> live = _live();
                if (live.Count == 0)
                {
                    continue;
                }

                // Heartbeats first: a slow report must not make a trial look lost.
                foreach (LiveTrial trial in live.Where(t => _time.GetElapsedTime(t.LastSignal) >= _heartbeat))
                {
                    await TryAsync(() => $"the heartbeat of trial {trial.Number}", async () =>
                    {
                        long now = _time.GetTimestamp();
                        await _storage.HeartbeatAsync(_study, trial.Number, stop).ConfigureAwait(false);
                        trial.Signalled(now);
                    }).ConfigureAwait(false);
                }

                foreach (LiveTrial trial in live)
                {
                    await TryAsync(() => $"sending the reports of trial {trial.Number}", () => trial.SendAsync(_storage, _study, _time.GetTimestamp(), stop)).ConfigureAwait(false);
                }

                if (_refreshed is not null)
                {
                    await TryAsync(() => "reading what other workers changed", () => _refreshed.RefreshAsync(_storage, _study, stop)).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private async Task TryAsync(Func<string> what, Func<Task> work)
    {
        try
        {
            await work().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            // The storage is unreachable, or the trial was failed as lost meanwhile: its tell says so.
            StudyLog.UpkeepFailed(_logger, _study, what(), $"{e.GetType().Name}: {e.Message}");
        }
    }
}
