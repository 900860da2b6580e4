using System.Globalization;
using HParamsNet.Trials;
using HParamsNet.Tuning.Storage;
using HParamsNet.Tuning.Strategies;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HParamsNet.Tuning;

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
        _time = options.Clock;
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
        if (_options.Storage is not null)
        {
            return await new SharedTunerRun(_options, _logger, _time).RunAsync(objective, cancellationToken).ConfigureAwait(false);
        }

        var experiment = new HParamsExperiment(_options.Space, [_options.Objective.Metric, .. _options.Metrics]);
        using var store = new LogDirectoryStore(_options.LogDir, _options.EventFiles);
        CrossValidationOptions? cv = _options.CrossValidation;
        StoredStudy stored = store.Open(experiment, _options.Objective, cv?.Splitter.Folds);
        if (stored.Trials.Count > 0 || stored.Incomplete.Count > 0 || stored.MovedAside.Count > 0)
        {
            TunerLog.Resumed(_logger, store.LogDir, stored.Trials.Count, stored.Incomplete.Count, stored.MovedAside.Count, store.InterruptedDir);
        }

        var run = new LogDirectoryTunerRun(_options, _logger, _time, store, objective, stored, cv?.Splitter.Split(cv.Rows, cv.Labels), WarmStartTrials.Read(_options, experiment, _logger), cancellationToken);
        await run.RunAsync().ConfigureAwait(false);
        return new StudyResult(_options.Objective, run.Finished, store.LogDir);
    }
}
