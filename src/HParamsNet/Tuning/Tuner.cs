using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HParamsNet;

/// <summary>
/// Runs a study (Optuna's study, scikit-learn's search classes): proposes configurations with a
/// <see cref="SearchStrategy"/>, runs the objective on each (per fold with cross-validation),
/// possibly several at once, and records every trial in a TensorBoard log directory, which is also
/// what a resumed study continues from.
/// </summary>
/// <remarks>
/// Each trial is a TensorBoard session (one per fold) named <c>trial-NNNN</c>, grouped under the
/// trial's name; its status is written once, when it ends, and its files are forced to disk before
/// the next trial starts. A failing trial is recorded as FAILURE with its error (shown in
/// TensorBoard's Text dashboard) and the study goes on, unless <see cref="TunerOptions.StopOnFailure"/>.
/// </remarks>
public sealed class Tuner
{
    private readonly TunerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;

    /// <summary>Creates a tuner.</summary>
    /// <param name="options">What to search, how, and where to record it.</param>
    /// <exception cref="ArgumentException">Options that cannot work; the message says which.</exception>
    public Tuner(TunerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _logger = options.Logger ?? NullLogger.Instance;
        _time = options.WriterOptions?.TimeProvider ?? TimeProvider.System;
    }

    /// <summary>Runs the study with a synchronous objective that returns the objective value.</summary>
    /// <param name="objective">Trains and scores one configuration (one fold, with cross-validation).</param>
    /// <param name="cancellationToken">Stops the study; a trial cut short is set aside and runs again on resume.</param>
    public Task<StudyResult> RunAsync(Func<Trial, double> objective, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return RunAsync((trial, _) => ValueTask.FromResult<TrialValues>(objective(trial)), cancellationToken);
    }

    /// <summary>Runs the study with a synchronous objective that returns several metrics' values.</summary>
    /// <param name="objective">Trains and scores one configuration (one fold, with cross-validation); returns the objective value.</param>
    /// <param name="cancellationToken">Stops the study; a trial cut short is set aside and runs again on resume.</param>
    public Task<StudyResult> RunAsync(Func<Trial, TrialValues> objective, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        return RunAsync((trial, _) => ValueTask.FromResult(objective(trial)), cancellationToken);
    }

    /// <summary>Runs the study: trials until the strategy, <see cref="TunerOptions.MaxTrials"/> or <see cref="TunerOptions.Timeout"/> says stop.</summary>
    /// <param name="objective">Trains and scores one configuration (one fold, with cross-validation).</param>
    /// <param name="cancellationToken">Stops the study; a trial cut short is set aside and runs again on resume.</param>
    /// <returns>Every trial, the results table and the best configuration.</returns>
    /// <exception cref="InvalidOperationException">The log directory holds another study.</exception>
    public async Task<StudyResult> RunAsync(Func<Trial, CancellationToken, ValueTask<TrialValues>> objective, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var experiment = new HParamsExperiment(_options.Space, [_options.Objective.Metric, .. _options.Metrics]);
        using var store = new LogDirectoryStore(_options.LogDir, _options.WriterOptions);
        CrossValidationOptions? cv = _options.CrossValidation;
        StoredStudy stored = store.Open(experiment, _options.Objective, cv?.Splitter.Folds);
        if (stored.Trials.Count > 0 || stored.Incomplete.Count > 0 || stored.MovedAside.Count > 0)
        {
            TunerLog.Resumed(_logger, store.LogDir, stored.Trials.Count, stored.Incomplete.Count, stored.MovedAside.Count, store.InterruptedDir);
        }

        var run = new StudyRun(this, store, objective, stored, cv?.Splitter.Split(cv.Rows, cv.Labels), ReadWarmStart(experiment), cancellationToken);
        await run.RunAsync().ConfigureAwait(false);
        return new StudyResult(_options.Objective, run.Finished, store.LogDir);
    }

    private List<FrozenTrial> ReadWarmStart(HParamsExperiment experiment)
    {
        var prior = new List<FrozenTrial>();
        Metric metric = _options.Objective.Metric;
        foreach (string logDir in _options.WarmStartLogDirs)
        {
            int skipped = 0;
            int before = prior.Count;
            foreach (IGrouping<string, SessionRecord> group in HParamsLogReader.ReadSessions(logDir).GroupBy(s => s.GroupName))
            {
                SessionRecord first = group.First();
                try
                {
                    experiment.Resolve(first.HParams.Where(p => _options.Space.Any(h => h.Name == p.Key)).ToDictionary());
                }
                catch (ArgumentException)
                {
                    skipped++;
                    continue;
                }

                if (_options.Space.Any(h => !first.HParams.ContainsKey(h.Name)))
                {
                    skipped++;
                    continue;
                }

                var values = group.Select(s => s.Last(metric.Group, metric.Tag)?.Value).ToList();
                bool complete = values.All(v => v is not null) && group.All(s => s.Status is SessionStatus.Success or SessionStatus.Unknown);
                prior.Add(new FrozenTrial(
                    0,
                    group.Key,
                    first.HParams.Where(p => _options.Space.Any(h => h.Name == p.Key)).ToDictionary(),
                    complete ? TrialState.Complete : TrialState.Failed,
                    complete ? values.Average(v => v!.Value) : double.NaN,
                    [],
                    [],
                    UnixTime.FromSecondsOrEpoch(first.StartTime),
                    UnixTime.FromSecondsOrEpoch(group.Max(s => s.EndTime)),
                    null));
            }

            TunerLog.WarmStart(_logger, prior.Count - before, logDir, skipped);
        }

        return prior;
    }

    /// <summary>One run of a study: the shared state of its workers.</summary>
    private sealed class StudyRun
    {
        private readonly Tuner _tuner;
        private readonly TunerOptions _options;
        private readonly LogDirectoryStore _store;
        private readonly Func<Trial, CancellationToken, ValueTask<TrialValues>> _objective;
        private readonly IReadOnlyList<CrossValidationFold>? _folds;
        private readonly CancellationToken _cancellation;
        private readonly Lock _gate = new();
        private readonly Queue<IncompleteTrial> _interrupted;
        private readonly Dictionary<int, IReadOnlyDictionary<string, object>> _running = [];
        private readonly List<FrozenTrial> _finished;
        private readonly List<FrozenTrial> _history;
        private TimeSpan _durationSum;
        private int _durationCount;
        private FrozenTrial? _best;
        private readonly long _started;
        private readonly long? _capacity;
        private int _nextNumber;
        private bool _stop;
        private Exception? _failure;

        public StudyRun(Tuner tuner, LogDirectoryStore store, Func<Trial, CancellationToken, ValueTask<TrialValues>> objective, StoredStudy stored, IReadOnlyList<CrossValidationFold>? folds, IReadOnlyList<FrozenTrial> prior, CancellationToken cancellation)
        {
            _tuner = tuner;
            _options = tuner._options;
            _store = store;
            _objective = objective;
            _folds = folds;
            _cancellation = cancellation;
            _interrupted = new Queue<IncompleteTrial>(stored.Incomplete);
            _finished = [.. stored.Trials];
            _history = [.. prior, .. stored.Trials.OrderBy(t => t.Number)];
            _best = stored.Trials.Where(t => t.State == TrialState.Complete && !double.IsNaN(t.Value))
                .OrderBy(t => t.Value, Comparer<double>.Create(_options.Objective.CompareBestFirst)).FirstOrDefault();
            _nextNumber = 1 + stored.Trials.Select(t => t.Number).Concat(stored.Incomplete.Select(i => i.Number)).DefaultIfEmpty(0).Max();
            _started = tuner._time.GetTimestamp();
            _capacity = _options.Strategy.Capacity(_options.Space);
        }

        public IReadOnlyList<FrozenTrial> Finished
        {
            get
            {
                lock (_gate)
                {
                    return [.. _finished.OrderBy(t => t.Number)];
                }
            }
        }

        private int? Total => _options.MaxTrials is int max ? (int)Math.Min(max, _capacity ?? max) : (int?)_capacity;

        public async Task RunAsync()
        {
            Report();
            Task[] workers = Enumerable.Range(0, _options.Parallelism).Select(_ => Task.Run(WorkAsync, CancellationToken.None)).ToArray();
            await Task.WhenAll(workers).ConfigureAwait(false);
            _cancellation.ThrowIfCancellationRequested();
            if (_failure is not null)
            {
                throw new InvalidOperationException($"The study stopped because a trial failed (StopOnFailure): {_failure.Message}", _failure);
            }
        }

        private async Task WorkAsync()
        {
            while (TryTake(out Work? work))
            {
                FrozenTrial? trial;
                try
                {
                    trial = await RunTrialAsync(work).ConfigureAwait(false);
                }
                catch
                {
                    lock (_gate)
                    {
                        _stop = true; // the other workers finish their trials and take no new ones
                    }

                    throw;
                }

                lock (_gate)
                {
                    _running.Remove(work.Number);
                    if (trial is null)
                    {
                        _stop = true; // cancelled
                        return;
                    }

                    _finished.Add(trial);
                    InsertByNumber(_history, trial);
                    _durationSum += trial.Duration ?? TimeSpan.Zero;
                    _durationCount++;
                    if (trial.State == TrialState.Complete && (_best is null || _options.Objective.IsBetter(trial.Value, _best.Value)))
                    {
                        _best = trial;
                    }
                    if (trial.State == TrialState.Failed && _options.StopOnFailure)
                    {
                        _stop = true;
                        _failure ??= new InvalidOperationException($"Trial {trial.Number} failed: {trial.Error}");
                    }
                }

                Report(trial);
            }
        }

        private bool TryTake([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Work? work)
        {
            work = null;
            lock (_gate)
            {
                if (_stop || _cancellation.IsCancellationRequested)
                {
                    return false;
                }

                if (_interrupted.TryDequeue(out IncompleteTrial? incomplete))
                {
                    IReadOnlyDictionary<HParam, object>? again = incomplete.HParams ?? Propose(incomplete.Number);
                    if (again is null)
                    {
                        return TryTakeNew(out work);
                    }

                    work = new Work(incomplete.Number, again, incomplete.MissingFolds, incomplete.FinishedFolds);
                    _running[work.Number] = Normalized(again);
                    return true;
                }

                return TryTakeNew(out work);
            }
        }

        // Under _gate.
        private bool TryTakeNew([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out Work? work)
        {
            work = null;
            if (_options.MaxTrials is int max && _finished.Count + _running.Count >= max)
            {
                return Stop("MaxTrials reached");
            }

            if (_options.Timeout is TimeSpan timeout && _tuner._time.GetElapsedTime(_started) >= timeout)
            {
                return Stop("time budget used");
            }

            int number = _nextNumber;
            IReadOnlyDictionary<HParam, object>? hparams = Propose(number);
            if (hparams is null)
            {
                return _running.Count == 0 && Stop($"{_options.Strategy.GetType().Name} has nothing left to propose");
            }

            _nextNumber++;
            work = new Work(number, hparams, _folds is null ? [] : Enumerable.Range(0, _folds.Count).ToList(), []);
            _running[number] = Normalized(hparams);
            return true;
        }

        private bool Stop(string reason)
        {
            if (!_stop)
            {
                TunerLog.Stopped(_tuner._logger, reason);
            }

            _stop = true;
            return false;
        }

        // Under _gate.
        private IReadOnlyDictionary<HParam, object>? Propose(int number)
        {
            var context = new StrategyContext(
                _options.Space,
                _options.Objective,
                number,
                _history.AsReadOnly(),
                [.. _running.Values],
                TrialRandom.For(_options.Seed, number));
            return Proposals.Next(_options.Strategy, context, [.. _finished], _options.Seed, _tuner._logger);
        }

        private async Task<FrozenTrial?> RunTrialAsync(Work work)
        {
            DateTimeOffset started = work.FinishedFolds.Count > 0
                ? UnixTime.FromSecondsOrEpoch(work.FinishedFolds.Min(s => s.StartTime))
                : _tuner._time.GetUtcNow();
            Metric metric = _options.Objective.Metric;
            var foldValues = new SortedDictionary<int, double>();
            foreach (SessionRecord done in work.FinishedFolds)
            {
                if (TrialNames.TryParse(done.Name, out _, out int? fold, out _) && fold is int doneFold)
                {
                    foldValues[doneFold] = done.Last(metric.Group, metric.Tag)?.Value ?? double.NaN;
                }
            }

            ILogger logger = _tuner._logger;
            if (logger.IsEnabled(LogLevel.Information))
            {
#pragma warning disable CA1873 // guarded by IsEnabled just above; the analyzer does not see through it
                TunerLog.TrialStarted(logger, work.Number, Describe(work.HParams));
#pragma warning restore CA1873
            }

            TrialState state = TrialState.Complete;
            string? error = null;
            IReadOnlyList<KeyValuePair<long, double>> intermediate = [];
            IEnumerable<int?> folds = _folds is null ? [null] : work.Folds.Select(f => (int?)f);
            foreach (int? fold in folds)
            {
                FoldOutcome? outcome = await RunFoldAsync(work, fold, metric).ConfigureAwait(false);
                if (outcome is null)
                {
                    return null; // cancelled: set aside, runs again on resume
                }

                intermediate = outcome.Intermediate;
                if (outcome.State != TrialState.Complete)
                {
                    // A failed or pruned fold ends its trial.
                    state = outcome.State;
                    error = outcome.Error;
                    break;
                }

                foldValues[fold ?? 0] = outcome.Value;
            }

            double value = state == TrialState.Complete ? foldValues.Values.Average() : double.NaN;
            return new FrozenTrial(
                work.Number,
                TrialNames.Trial(work.Number),
                Normalized(work.HParams),
                state,
                value,
                intermediate,
                _folds is null ? [] : [.. foldValues.Values],
                started,
                _tuner._time.GetUtcNow(),
                error);
        }

        // One session of a trial (one fold, or the whole trial without cross-validation); null when cancelled.
        private async Task<FoldOutcome?> RunFoldAsync(Work work, int? fold, Metric metric)
        {
            using TrialSession session = _store.BeginSession(work.Number, fold, work.HParams, _options.SyncToDisk);
            var trial = new Trial(work.Number, work.HParams, fold is int f ? _folds![f] : null, session, _options.Objective, _options.Pruner, () => Finished, _cancellation);
            try
            {
                return await ScoreAsync(work, session, trial, metric).ConfigureAwait(false);
            }
            catch (StudyRecordException)
            {
                // The record, not the trial, failed: no end is written, so resume runs it again.
                session.Abandon();
                throw;
            }
        }

        // Runs the objective and writes how the session ended.
        private async Task<FoldOutcome?> ScoreAsync(Work work, TrialSession session, Trial trial, Metric metric)
        {
            try
            {
                TrialValues values = await _objective(trial, _cancellation).ConfigureAwait(false);
                ArgumentNullException.ThrowIfNull(values, "objective result");
                if (!double.IsFinite(values.Objective))
                {
                    throw new NonFiniteObjectiveException(metric, values.Objective);
                }

                trial.WriteFinal(metric, values.Objective);
                foreach ((Metric other, double otherValue) in values.Others)
                {
                    trial.WriteFinal(other, otherValue);
                }

                session.EndComplete(metric, values.Objective);
                return new FoldOutcome(TrialState.Complete, values.Objective, null, [.. trial.IntermediateValues]);
            }
            catch (TrialPrunedException)
            {
                session.EndPruned(trial.IntermediateValues);
                return new FoldOutcome(TrialState.Pruned, double.NaN, null, [.. trial.IntermediateValues]);
            }
            catch (OperationCanceledException) when (_cancellation.IsCancellationRequested)
            {
                // As if the process had been killed: no end record, and out of TensorBoard's sight.
                session.Dispose();
                _store.MoveAside(session.RunName);
                return null;
            }
            catch (Exception e) when (e is not StudyRecordException)
            {
                string error = e is NonFiniteObjectiveException ? e.Message : $"{e.GetType().Name}: {e.Message}";
                session.EndFailed(error);
                TunerLog.TrialFailed(_tuner._logger, work.Number, error, e);
                return new FoldOutcome(TrialState.Failed, double.NaN, error, [.. trial.IntermediateValues]);
            }
        }

        private void Report(FrozenTrial? trial = null)
        {
            TunerProgress progress;
            lock (_gate)
            {
                TimeSpan elapsed = _tuner._time.GetElapsedTime(_started);
                TimeSpan? remaining = Total is int total && _durationCount > 0
                    ? _durationSum / _durationCount * Math.Max(0, total - _finished.Count) / _options.Parallelism
                    : null;
                progress = new TunerProgress(_finished.Count, Total, _running.Count, _best, elapsed, remaining);
            }

            ILogger logger = _tuner._logger;
            if (trial is not null && logger.IsEnabled(LogLevel.Information))
            {
#pragma warning disable CA1873 // guarded by IsEnabled just above
                TunerLog.TrialFinished(
                    logger,
                    trial.Number,
                    trial.State,
                    trial.Value,
                    progress.Best?.Value ?? double.NaN,
                    progress.Best?.Number ?? 0,
                    progress.Finished,
                    progress.Total?.ToString(CultureInfo.InvariantCulture) ?? "?",
                    progress.Remaining is TimeSpan left ? left.ToString(@"hh\:mm\:ss", CultureInfo.InvariantCulture) : "?");
#pragma warning restore CA1873
            }

            _options.Progress?.Report(progress);
        }

        // Prior trials (number 0) stay first; finished trials keep number order though workers finish out of order.
        private static void InsertByNumber(List<FrozenTrial> history, FrozenTrial trial)
        {
            int at = history.Count;
            while (at > 0 && history[at - 1].Number > trial.Number)
            {
                at--;
            }

            history.Insert(at, trial);
        }

        private static Dictionary<string, object> Normalized(IReadOnlyDictionary<HParam, object> hparams) =>
            hparams.ToDictionary(p => p.Key.Name, p => p.Key.Validate(p.Value), StringComparer.Ordinal);

        private static string Describe(IReadOnlyDictionary<HParam, object> hparams) =>
            string.Join(", ", hparams.Select(p => $"{p.Key.Name}={HParamValues.Format(p.Value)}"));
    }

    private sealed record Work(int Number, IReadOnlyDictionary<HParam, object> HParams, IReadOnlyList<int> Folds, IReadOnlyList<SessionRecord> FinishedFolds);

    private sealed record FoldOutcome(TrialState State, double Value, string? Error, IReadOnlyList<KeyValuePair<long, double>> Intermediate);
}
