using System.Globalization;
using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;
using Microsoft.Extensions.Logging;

namespace HParamsNet.Tuning;

/// <summary>
/// A tuner's run of a study that lives in a shared storage: <see cref="TunerOptions.Parallelism"/>
/// tasks of this process ask and tell through one <see cref="Study"/>, beside any other worker of
/// the study. A trial cut short by cancellation is not told: its heartbeat stops, a worker fails
/// it as lost after the grace period and runs its configuration again (resume is "start the
/// workers again").
/// </summary>
internal sealed class SharedTunerRun(TunerOptions options, ILogger logger, TimeProvider time)
{
    private readonly Lock _gate = new();
    private Exception? _failure;
    private int _finished;

    public async Task<StudyResult> RunAsync(Func<Trial, CancellationToken, ValueTask<TrialValues>> objective, CancellationToken cancellationToken)
    {
        await using Study study = await Study.CreateOrLoadAsync(
            new StudyOptions
            {
                Storage = options.Storage!,
                Name = options.StudyName!,
                Space = options.Space,
                Objective = options.Objective,
                Metrics = options.Metrics,
                LogDir = options.LogDir,
                Strategy = options.Strategy,
                Pruner = options.Pruner,
                Seed = options.Seed,
                MaxTrials = options.MaxTrials,
                WriterOptions = options.EventFiles,
                Logger = logger,
                TimeProvider = time,
            },
            cancellationToken).ConfigureAwait(false);
        long started = time.GetTimestamp();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await Task.WhenAll(Enumerable.Range(0, options.Parallelism).Select(_ => Task.Run(() => WorkAsync(study, objective, started, stop), CancellationToken.None))).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        if (_failure is not null)
        {
            throw new InvalidOperationException($"The study stopped because a trial failed (StopOnFailure): {_failure.Message}", _failure);
        }

        return new StudyResult(options.Objective, await study.GetTrialsAsync(CancellationToken.None).ConfigureAwait(false), Path.GetFullPath(options.LogDir));
    }

    private async Task WorkAsync(Study study, Func<Trial, CancellationToken, ValueTask<TrialValues>> objective, long started, CancellationTokenSource stop)
    {
        while (!stop.IsCancellationRequested)
        {
            if (options.Timeout is TimeSpan timeout && time.GetElapsedTime(started) >= timeout)
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
                return;
            }

            FrozenTrial? told = await RunAsync(study, trial, objective, stop).ConfigureAwait(false);
            if (told is null)
            {
                return; // cancelled mid-trial: left for another worker, or this one's next start
            }

            int finished = Interlocked.Increment(ref _finished);
            Report(study, told, finished, started);
        }
    }

    // Runs the objective and tells how it went; the snapshot told, or null when cancelled.
    private async Task<FrozenTrial?> RunAsync(Study study, Trial trial, Func<Trial, CancellationToken, ValueTask<TrialValues>> objective, CancellationTokenSource stop)
    {
        DateTimeOffset start = time.GetUtcNow();
        TrialState state;
        double value = double.NaN;
        string? error = null;
        try
        {
            TrialValues values = await objective(trial, stop.Token).ConfigureAwait(false);
            ArgumentNullException.ThrowIfNull(values, "objective result");
            await study.TellAsync(trial, values, CancellationToken.None).ConfigureAwait(false);
            (state, value, error) = double.IsFinite(values.Objective)
                ? (TrialState.Complete, values.Objective, null)
                : (TrialState.Failed, double.NaN, new NonFiniteObjectiveException(options.Objective.Metric, values.Objective).Message);
        }
        catch (TrialPrunedException)
        {
            await study.TellPrunedAsync(trial, CancellationToken.None).ConfigureAwait(false);
            state = TrialState.Pruned;
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            return null;
        }
        catch (Exception e) when (e is not StudyRecordException)
        {
            error = $"{e.GetType().Name}: {e.Message}";
            await study.TellFailedAsync(trial, error, CancellationToken.None).ConfigureAwait(false);
            TunerLog.TrialFailed(logger, trial.Number, error, e);
            state = TrialState.Failed;
            if (options.StopOnFailure)
            {
                lock (_gate)
                {
                    _failure ??= new InvalidOperationException($"Trial {trial.Number} failed: {error}");
                }

                await stop.CancelAsync().ConfigureAwait(false);
            }
        }

        return new FrozenTrial(trial.Number, trial.Name, LogDirectoryTrialRunner.Normalized(trial.HParams), state, value, [.. trial.IntermediateValues], [], start, time.GetUtcNow(), error);
    }

    private void Report(Study study, FrozenTrial trial, int finishedHere, long started)
    {
        if (options.Progress is null && !logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        // The study as this worker last saw it: every worker's trials.
        (IReadOnlyList<FrozenTrial> finished, int running) = study.Snapshot();
        FrozenTrial? best = finished.Where(t => t.State == TrialState.Complete)
            .OrderBy(t => t.Value, Comparer<double>.Create(options.Objective.CompareBestFirst)).FirstOrDefault();
        TimeSpan elapsed = time.GetElapsedTime(started);
        int done = Math.Max(finished.Count, finishedHere);
        TimeSpan? remaining = options.MaxTrials is int total ? elapsed / finishedHere * Math.Max(0, total - done) : null;
        var progress = new TunerProgress(done, options.MaxTrials, running, best, elapsed, remaining);
        TunerLog.Finished(logger, trial, progress);
        options.Progress?.Report(progress);
    }
}
