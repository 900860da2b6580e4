using System.Globalization;
using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;

namespace HParamsNet.Tuning;

// How a Study records: what its trials reported, their ends (the storage first, then the
// sessions), lost workers' trials failed and their sessions ended, and the session ends a killed
// worker left unwritten.
public sealed partial class Study
{
    private IReadOnlyList<LiveTrial> LiveTrials()
    {
        lock (_lock)
        {
            return [.. _live.Values];
        }
    }

    private LiveTrial Live(Trial trial)
    {
        lock (_lock)
        {
            return _live.TryGetValue(trial.Number, out LiveTrial? live) && live.Current?.Trial == trial
                ? live
                : throw new InvalidOperationException($"Trial {trial.Number}{(trial.Fold is null ? string.Empty : $" (fold {trial.Fold.Index})")} was not asked for through this study object, or was told already.");
        }
    }

    // Sends what the trial reported; false when the storage says it was failed as lost meanwhile (this worker then lets it go).
    private async Task<bool> SendAsync(LiveTrial live, CancellationToken cancellationToken)
    {
        try
        {
            await live.SendAsync(_options.Storage, Name, _time.GetTimestamp(), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (InvalidOperationException)
        {
            if (!await IsFinishedAsync(live.Number, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }
        }

        Forget(live, abandon: true);
        StudyLog.ToldTooLate(_logger, live.Number, Name);
        return false;
    }

    private async Task<bool> IsFinishedAsync(int number, CancellationToken cancellationToken)
    {
        await _trials.RefreshAsync(_options.Storage, Name, cancellationToken).ConfigureAwait(false);
        return _trials.Finished().Any(t => t.Number == number);
    }

    // Ends a trial: its reports, then the storage's record (which decides against a worker that
    // failed it as lost), then its session's end. A storage error leaves the trial as it was.
    private async Task<bool> FinishAsync(LiveTrial live, TrialOutcome outcome, Action<TrialSession> end, CancellationToken cancellationToken)
    {
        if (!await SendAsync(live, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        if (!await _options.Storage.FinishTrialAsync(Name, live.Number, outcome, cancellationToken).ConfigureAwait(false))
        {
            Forget(live, abandon: true);
            StudyLog.ToldTooLate(_logger, live.Number, Name);
            return false;
        }

        Forget(live, abandon: false);
        _trials.AddTold(TrialSnapshots.Create(
            live.Number,
            live.Configuration,
            outcome.State,
            outcome.Value,
            TrialSnapshots.ByFold(live.Reported.OrderBy(v => v.Fold)),
            outcome.FoldValues.Count > 0 ? outcome.FoldValues : live.FoldValues,
            live.Started,
            _time.GetUtcNow(),
            outcome.Error,
            live.Attributes));
        if (live.Current?.Session is { } session)
        {
            try
            {
                end(session);
            }
            catch (StudyRecordException)
            {
                _trials.Disown(live.Number); // its end is now the repair's to write, once there is room
                session.Abandon();
                throw;
            }

            session.Dispose();
        }

        return true;
    }

    private void Forget(LiveTrial live, bool abandon)
    {
        lock (_lock)
        {
            _live.Remove(live.Number);
        }

        if (abandon)
        {
            live.Current?.Session.Abandon();
        }
    }

    // Running trials of other workers whose heartbeat is older than the grace period: failed here,
    // in the storage and in TensorBoard, so that no session stays running for ever. A heartbeat
    // cannot go stale faster than its interval, so a worker looks at most twice per interval.
    private async Task SweepLostAsync(CancellationToken cancellationToken)
    {
        long now = _time.GetTimestamp();
        if (_lastSweep != long.MinValue && _time.GetElapsedTime(_lastSweep, now) < _options.HeartbeatInterval / 2)
        {
            return;
        }

        _lastSweep = now;
        IReadOnlyList<FrozenTrial> lost = await _options.Storage.FailStaleTrialsAsync(Name, _options.HeartbeatInterval * 2, cancellationToken).ConfigureAwait(false);
        foreach (FrozenTrial gone in lost)
        {
            _tensorBoard.EndLost(gone, _definition.Experiment.Resolve(gone.HParams));
            StudyLog.WorkerLost(_logger, gone.Number, Name, gone.Error ?? string.Empty);
        }
    }

    // A worker killed between the storage's record of a trial's end and the files' leaves a
    // session without an end; the storage knows how it ended. Every worker that sees the study
    // done writes the ends missing, one at a time (the log directory's lock), so TensorBoard shows
    // no session running for ever.
    private async Task RepairSessionsAsync(CancellationToken cancellationToken)
    {
        // Once per log directory and version of the study: the first worker to end does it, the
        // others find it done (workers on one machine share the directory; machines may not).
        string done = $"sessions-ended:{Environment.MachineName}:{LogDir}";
        using IDisposable? held = await _tensorBoard.LockAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlyDictionary<string, string> attributes = await _options.Storage.GetStudyAttributesAsync(Name, cancellationToken).ConfigureAwait(false);
        long version = _trials.Version;
        if (attributes.TryGetValue(done, out string? at) && long.TryParse(at, CultureInfo.InvariantCulture, out long repaired) && repaired >= version)
        {
            return;
        }

        foreach (FrozenTrial trial in _trials.Finished().Where(t => !_trials.IsMine(t.Number)))
        {
            if (_tensorBoard.EndFinished(trial))
            {
                StudyLog.SessionEndRepaired(_logger, trial.Number, Name, trial.State);
            }
        }

        await _options.Storage.SetStudyAttributeAsync(Name, done, version.ToString(CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
    }

    // A log directory whose trials go beyond the storage's belongs to a study the storage lost (its
    // database removed or replaced, a new one started empty) or to another storage: workers
    // would write trial-0001 again beside the old one. The directory is listed before the storage
    // is read: a session is written after its trial is stored, so every run seen is in the read.
    private async Task CheckLogDirectoryAsync(CancellationToken cancellationToken)
    {
        if (_options.Storage is LogDirectoryStudyStorage || !Directory.Exists(LogDir))
        {
            return;
        }

        int inDirectory = Directory.EnumerateDirectories(LogDir, "trial-*")
            .Select(dir => TrialNames.TryParse(Path.GetFileName(dir), out int number, out _, out _) ? number : 0)
            .DefaultIfEmpty(0)
            .Max();
        await _trials.RefreshAsync(_options.Storage, Name, cancellationToken).ConfigureAwait(false);
        int inStorage = _trials.NextNumber - 1;
        if (inDirectory > inStorage)
        {
            throw new InvalidOperationException($"Log directory '{LogDir}' holds {TrialNames.Trial(inDirectory)} of study '{Name}', but the storage has {inStorage} trial(s) of it: the storage lost the study (its database removed or replaced), or the directory holds another storage's study. Restore the storage, or give the study a new log directory; nothing was written.");
        }
    }
}
