using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;
using Microsoft.Extensions.Logging;

namespace HParamsNet.Tuning;

/// <summary>
/// One run of a <see cref="Tuner"/>: <see cref="TunerOptions.Parallelism"/> loops of ask, run the
/// objective on the session, tell, over one <see cref="Study"/>; when to stop (the study done,
/// the time budget used, a failure with <see cref="TunerOptions.StopOnFailure"/>, a record that
/// cannot be written, cancellation); and the study's progress after each trial.
/// </summary>
internal sealed class TunerRun(TunerOptions options, ILogger logger, TimeProvider time, Func<Trial, CancellationToken, ValueTask<TrialValues>> objective)
{
    private readonly Lock _gate = new();
    private readonly long _started = time.GetTimestamp();
    private Exception? _failure;
    private bool _failedTrial;
    private TimeSpan _durationSum;
    private int _durationCount;

    public async Task RunAsync(Study study, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Report(study, trial: null);
        await Task.WhenAll(Enumerable.Range(0, options.Parallelism).Select(_ => Task.Run(() => WorkAsync(study, stop), CancellationToken.None))).ConfigureAwait(false);
    }

    /// <summary>Rethrows what stopped the run: a record or storage error as it was, a trial's failure with StopOnFailure wrapped.</summary>
    public void ThrowIfFailed()
    {
        if (_failure is null)
        {
            return;
        }

        if (_failedTrial)
        {
            throw new InvalidOperationException($"The study stopped because a trial failed (StopOnFailure): {_failure.Message}", _failure);
        }

        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_failure);
    }

    private async Task WorkAsync(Study study, CancellationTokenSource stop)
    {
        try
        {
            while (!stop.IsCancellationRequested)
            {
                if (options.Timeout is TimeSpan timeout && time.GetElapsedTime(_started) >= timeout)
                {
                    TunerLog.Stopped(logger, "time budget used");
                    return;
                }

                Trial? trial;
                try
                {
                    trial = await study.AskAsync(stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }

                if (trial is null)
                {
                    TunerLog.Stopped(logger, "the study is done (the strategy, MaxTrials or MaxCompleteTrials)");
                    return;
                }

                await RunSessionAsync(study, trial, stop).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The record or the storage failed, not a trial: the other loops stop too; the trials
            // they leave are recorded as interrupted when the study is disposed.
            lock (_gate)
            {
                _failure ??= e;
            }

            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    // Runs the objective on one session and tells how it went; a trial cut short by cancellation is left to the study's disposal (interrupted).
    private async Task RunSessionAsync(Study study, Trial trial, CancellationTokenSource stop)
    {
        if (trial.Fold is null || trial.Fold.Index == 0)
        {
            LogStarted(trial);
        }

        TrialValues values;
        try
        {
            values = await objective(trial, stop.Token).ConfigureAwait(false);
            ArgumentNullException.ThrowIfNull(values, "objective result");
        }
        catch (TrialPrunedException)
        {
            if (await study.TellPrunedAsync(trial, CancellationToken.None).ConfigureAwait(false))
            {
                Finished(study, trial);
            }

            return;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e) when (e is not StudyRecordException)
        {
            string error = $"{e.GetType().Name}: {e.Message}";
            TunerLog.TrialFailed(logger, trial.Number, error, e);
            bool told = await study.TellFailedAsync(trial, error, CancellationToken.None).ConfigureAwait(false);
            if (options.StopOnFailure)
            {
                lock (_gate)
                {
                    _failure ??= new InvalidOperationException($"Trial {trial.Number} failed: {error}");
                    _failedTrial = true;
                }

                await stop.CancelAsync().ConfigureAwait(false);
            }

            if (told)
            {
                Finished(study, trial);
            }

            return;
        }

        bool finite = double.IsFinite(values.Objective);
        bool lastSession = trial.Fold is null || trial.Fold.Index == trial.Fold.Count - 1;
        if (await study.TellAsync(trial, values, CancellationToken.None).ConfigureAwait(false) && (lastSession || !finite))
        {
            Finished(study, trial);
        }
    }

    private void LogStarted(Trial trial)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
#pragma warning disable CA1873 // guarded by IsEnabled just above; the analyzer does not see through it
            TunerLog.TrialStarted(logger, trial.Number, string.Join(", ", trial.HParams.Select(p => $"{p.Key.Name}={HParamValues.Format(p.Value)}")));
#pragma warning restore CA1873
        }
    }

    // After each trial: its time counts for the estimate, and the study's progress is said.
    private void Finished(Study study, Trial trial)
    {
        lock (_gate)
        {
            _durationSum += time.GetUtcNow() - trial.Started;
            _durationCount++;
        }

        if (options.Progress is null && !logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        Report(study, trial.Number);
    }

    private void Report(Study study, int? trial)
    {
        if (options.Progress is null && !logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        // The study as this worker last saw it: every worker's trials, and earlier runs' of a resumed study.
        (IReadOnlyList<FrozenTrial> finished, int running) = study.Snapshot();
        int? total = options.MaxTrials is int max ? (int)Math.Min(max, options.Strategy.Capacity(options.Space) ?? max) : options.Strategy.Capacity(options.Space) is long capacity ? (int)capacity : options.MaxCompleteTrials;
        TimeSpan elapsed = time.GetElapsedTime(_started);
        TimeSpan? remaining;
        lock (_gate)
        {
            remaining = total is int all && _durationCount > 0 ? _durationSum / _durationCount * Math.Max(0, all - finished.Count) / options.Parallelism : null;
        }

        var progress = new TunerProgress(finished.Count, total, running, options.Objectives.Count == 1 ? BestTrial.Of(finished, options.Objective) : null, elapsed, remaining);
        if (trial is int number && finished.FirstOrDefault(t => t.Number == number) is { } told)
        {
            TunerLog.Finished(logger, told, progress);
        }

        options.Progress?.Report(progress);
    }
}
