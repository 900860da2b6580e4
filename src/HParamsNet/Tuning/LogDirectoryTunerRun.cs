using System.Globalization;
using HParamsNet.Trials;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;
using Microsoft.Extensions.Logging;

namespace HParamsNet.Tuning;

/// <summary>
/// One run of a study whose record is its log directory: the state the parallel tasks share,
/// which trial each takes next (interrupted ones first, then new proposals) and when the study
/// stops; a <see cref="LogDirectoryTrialRunner"/> runs each trial.
/// </summary>
internal sealed class LogDirectoryTunerRun
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly LogDirectoryTrialRunner _runner;
    private readonly TunerOptions _options;
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

    public LogDirectoryTunerRun(TunerOptions options, ILogger logger, TimeProvider time, LogDirectoryStore store, Func<Trial, CancellationToken, ValueTask<TrialValues>> objective, StoredStudy stored, IReadOnlyList<CrossValidationFold>? folds, IReadOnlyList<FrozenTrial> prior, CancellationToken cancellation)
    {
        _options = options;
        _logger = logger;
        _time = time;
        _runner = new LogDirectoryTrialRunner(options, logger, time, store, objective, folds, () => Finished, cancellation);
        _folds = folds;
        _cancellation = cancellation;
        _interrupted = new Queue<IncompleteTrial>(stored.Incomplete);
        _finished = [.. stored.Trials];
        _history = [.. prior, .. stored.Trials.OrderBy(t => t.Number)];
        _best = stored.Trials.Where(t => t.State == TrialState.Complete && !double.IsNaN(t.Value))
            .OrderBy(t => t.Value, Comparer<double>.Create(_options.Objective.CompareBestFirst)).FirstOrDefault();
        _nextNumber = 1 + stored.Trials.Select(t => t.Number).Concat(stored.Incomplete.Select(i => i.Number)).DefaultIfEmpty(0).Max();
        _started = time.GetTimestamp();
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
                trial = await _runner.RunAsync(work).ConfigureAwait(false);
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
                _running[work.Number] = LogDirectoryTrialRunner.Normalized(again);
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

        if (_options.Timeout is TimeSpan timeout && _time.GetElapsedTime(_started) >= timeout)
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
        _running[number] = LogDirectoryTrialRunner.Normalized(hparams);
        return true;
    }

    private bool Stop(string reason)
    {
        if (!_stop)
        {
            TunerLog.Stopped(_logger, reason);
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
        return Proposals.Next(_options.Strategy, context, [.. _finished], _options.Seed, _logger);
    }

    private void Report(FrozenTrial? trial = null)
    {
        TunerProgress progress;
        lock (_gate)
        {
            TimeSpan elapsed = _time.GetElapsedTime(_started);
            TimeSpan? remaining = Total is int total && _durationCount > 0
                ? _durationSum / _durationCount * Math.Max(0, total - _finished.Count) / _options.Parallelism
                : null;
            progress = new TunerProgress(_finished.Count, Total, _running.Count, _best, elapsed, remaining);
        }

        if (trial is not null)
        {
            TunerLog.Finished(_logger, trial, progress);
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

}
