using HParamsNet.Events;
using HParamsNet.Sessions;
using HParamsNet.Trials;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Storage;
using Microsoft.Extensions.Logging;

namespace HParamsNet.Tuning;

/// <summary>
/// Runs one trial of a study whose record is its log directory: a session per fold (or one for
/// the trial), the objective on each, how each ended written to its session; a failed or pruned
/// fold ends the trial, a cancelled one sets it aside for resume.
/// </summary>
internal sealed class LogDirectoryTrialRunner(
    TunerOptions options,
    ILogger logger,
    TimeProvider time,
    LogDirectoryStore store,
    Func<Trial, CancellationToken, ValueTask<TrialValues>> objective,
    IReadOnlyList<CrossValidationFold>? folds,
    Func<IReadOnlyList<FrozenTrial>> finished,
    CancellationToken cancellation)
{
    private readonly TunerOptions _options = options;
    private readonly ILogger _logger = logger;
    private readonly TimeProvider _time = time;
    private readonly LogDirectoryStore _store = store;
    private readonly Func<Trial, CancellationToken, ValueTask<TrialValues>> _objective = objective;
    private readonly IReadOnlyList<CrossValidationFold>? _folds = folds;
    private readonly Func<IReadOnlyList<FrozenTrial>> _finished = finished;
    private readonly CancellationToken _cancellation = cancellation;

    /// <summary>Runs a trial's folds (or the trial itself) and says how it ended; null when cancelled (set aside, runs again on resume).</summary>
    public async Task<FrozenTrial?> RunAsync(Work work)
    {
        DateTimeOffset started = work.FinishedFolds.Count > 0
            ? UnixTime.FromSecondsOrEpoch(work.FinishedFolds.Min(s => s.StartTime))
            : _time.GetUtcNow();
        Metric metric = _options.Objective.Metric;
        var foldValues = new SortedDictionary<int, double>();
        foreach (SessionRecord done in work.FinishedFolds)
        {
            if (TrialNames.TryParse(done.Name, out _, out int? fold, out _) && fold is int doneFold)
            {
                foldValues[doneFold] = done.Last(metric.Group, metric.Tag)?.Value ?? double.NaN;
            }
        }

        ILogger logger = _logger;
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
            _time.GetUtcNow(),
            error);
    }

    // One session of a trial (one fold, or the whole trial without cross-validation); null when cancelled.
    private async Task<FoldOutcome?> RunFoldAsync(Work work, int? fold, Metric metric)
    {
        using TrialSession session = _store.BeginSession(work.Number, fold, work.HParams, _options.SyncToDisk);
        var trial = new Trial(work.Number, work.HParams, fold is int f ? _folds![f] : null, session, _options.Objective, _options.Pruner, _finished, _cancellation);
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
            TunerLog.TrialFailed(_logger, work.Number, error, e);
            return new FoldOutcome(TrialState.Failed, double.NaN, error, [.. trial.IntermediateValues]);
        }
    }

    internal static Dictionary<string, object> Normalized(IReadOnlyDictionary<HParam, object> hparams) =>
        hparams.ToDictionary(p => p.Key.Name, p => p.Key.Validate(p.Value), StringComparer.Ordinal);

    private static string Describe(IReadOnlyDictionary<HParam, object> hparams) =>
        string.Join(", ", hparams.Select(p => $"{p.Key.Name}={HParamValues.Format(p.Value)}"));
}

/// <summary>A trial to run: its number and configuration, the folds left, and the folds a killed run had finished.</summary>
internal sealed record Work(int Number, IReadOnlyDictionary<HParam, object> HParams, IReadOnlyList<int> Folds, IReadOnlyList<SessionRecord> FinishedFolds);

/// <summary>How one session of a trial ended.</summary>
internal sealed record FoldOutcome(TrialState State, double Value, string? Error, IReadOnlyList<KeyValuePair<long, double>> Intermediate);
