using System.Globalization;
using HParamsNet.Trials;
using HParamsNet.Tuning.CrossValidation;
using HParamsNet.Tuning.Pruners;
using HParamsNet.Tuning.Storage;

namespace HParamsNet.Tuning;

/// <summary>
/// A running trial, as the objective sees it: its configuration with typed access, where its run
/// is, and <see cref="Report(Metric, double, long)"/> for intermediate values (written as scalars
/// to the trial's run, sent to the study's storage as they happen, and judged by the pruner
/// against the study as it is now, every worker's trials included). With cross-validation each
/// fold is a session of its own: the objective is called once per fold, each call with its own
/// <see cref="Trial"/> of the same number and configuration.
/// </summary>
public sealed class Trial
{
    private readonly LiveTrial _live;
    private readonly TrialSession _session;
    private readonly Objective _objective;
    private readonly Pruner _pruner;
    private readonly Func<int, int, IReadOnlyList<FrozenTrial>> _otherTrials;
    private readonly List<KeyValuePair<long, double>> _intermediate = [];
    private readonly Dictionary<Metric, long> _lastSteps = [];
    private readonly Dictionary<string, string> _userAttributes = new(StringComparer.Ordinal);

    internal Trial(LiveTrial live, CrossValidationFold? fold, TrialSession session, Objective objective, Pruner pruner, Func<int, int, IReadOnlyList<FrozenTrial>> otherTrials, CancellationToken cancellationToken)
    {
        _live = live;
        Number = live.Number;
        HParams = live.HParams;
        Fold = fold;
        _session = session;
        _objective = objective;
        _pruner = pruner;
        _otherTrials = otherTrials;
        CancellationToken = cancellationToken;
    }

    internal LiveTrial Live => _live;

    internal TrialSession Session => _session;

    /// <summary>When the trial (not this session) was created.</summary>
    internal DateTimeOffset Started => _live.Started;

    /// <summary>The trial's number, from 1.</summary>
    public int Number { get; }

    /// <summary>The trial's name, which is its TensorBoard session group (e.g. <c>trial-0007</c>).</summary>
    public string Name => TrialNames.Trial(Number);

    /// <summary>This session's run name relative to the log directory (<c>trial-0007</c>, or <c>trial-0007/fold-1</c> with cross-validation).</summary>
    public string RunName => _session.RunName;

    /// <summary>This session's run directory: write your own summaries or sub-runs (e.g. train/, validation/) here.</summary>
    public string RunDirectory => _session.RunDirectory;

    /// <summary>The configuration.</summary>
    public IReadOnlyDictionary<HParam, object> HParams { get; }

    /// <summary>The cross-validation fold this call trains and scores on; <see langword="null"/> without cross-validation.</summary>
    public CrossValidationFold? Fold { get; }

    /// <summary>Cancelled when the study is cancelled.</summary>
    public CancellationToken CancellationToken { get; }

    /// <summary>Whether the pruner says this trial should stop; checked after each report of the objective metric.</summary>
    public bool ShouldPrune { get; private set; }

    /// <summary>The objective values this session (fold) reported so far, by step.</summary>
    public IReadOnlyList<KeyValuePair<long, double>> IntermediateValues => _intermediate;

    /// <summary>The user attributes this session set.</summary>
    public IReadOnlyDictionary<string, string> UserAttributes => _userAttributes;

    /// <summary>The value of hparam <paramref name="name"/> (normalised: whole numbers as long, others as double).</summary>
    /// <exception cref="KeyNotFoundException">No hparam has that name; the message lists those that do.</exception>
    public object this[string name] => HParams.FirstOrDefault(p => p.Key.Name == name) is { Key: not null } pair
        ? pair.Value
        : throw new KeyNotFoundException($"Trial {Number} has no hparam '{name}' (it has {string.Join(", ", HParams.Keys.Select(h => $"'{h.Name}'"))}). A conditional hparam is absent when its condition does not hold: ask Has(\"{name}\") first.");

    /// <summary>Whether the trial has hparam <paramref name="name"/>: false for an unknown name and for a conditional hparam whose condition does not hold.</summary>
    /// <param name="name">The hparam's name.</param>
    public bool Has(string name) => HParams.Keys.Any(h => h.Name == name);

    /// <summary>The value of hparam <paramref name="name"/> as <typeparamref name="T"/> (int, long, double, float, string or bool).</summary>
    /// <exception cref="KeyNotFoundException">No hparam has that name.</exception>
    /// <exception cref="InvalidCastException">The value does not convert to <typeparamref name="T"/>; the message names both.</exception>
    public T Get<T>(string name)
    {
        object value = this[name];
        try
        {
            return value is T typed ? typed : (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            throw new InvalidCastException($"Hparam '{name}' = {HParamValues.Format(value)} ({value.GetType().Name}) cannot be read as {typeof(T).Name}.", e);
        }
    }

    /// <summary>The value of <paramref name="hparam"/> as <typeparamref name="T"/>.</summary>
    public T Get<T>(HParam hparam)
    {
        ArgumentNullException.ThrowIfNull(hparam);
        return Get<T>(hparam.Name);
    }

    /// <summary>Reports an intermediate value of the objective metric at <paramref name="step"/>.</summary>
    public void Report(double value, long step) => Report(_objective.Metric, value, step);

    /// <summary>
    /// Reports an intermediate value of <paramref name="metric"/>: a scalar in the trial's run (or
    /// its sub-run <see cref="Metric.Group"/>); for the objective metric also a value the storage
    /// records (so other workers' pruners see it, and a lost trial keeps it) and the pruner judges,
    /// after which <see cref="ShouldPrune"/> is up to date.
    /// </summary>
    /// <exception cref="ArgumentException">A step of the objective metric not after its previous one.</exception>
    public void Report(Metric metric, double value, long step)
    {
        ArgumentNullException.ThrowIfNull(metric);
        bool objective = metric == _objective.Metric;
        if (objective && _intermediate.Count > 0 && step <= _intermediate[^1].Key)
        {
            throw new ArgumentException($"Trial {Number}{(Fold is null ? string.Empty : $" (fold {Fold.Index})")}: step {step} is not after the previous step {_intermediate[^1].Key}; report each step once, in increasing order.", nameof(step));
        }

        _session.Scalar(metric.Group, metric.Tag, value, step);
        _lastSteps[metric] = step;
        if (objective)
        {
            _intermediate.Add(KeyValuePair.Create(step, value));
            int fold = Fold?.Index ?? 0;
            _live.Report(new IntermediateValue(fold, step, value));
            ShouldPrune = _pruner.ShouldPrune(new PrunerContext(_objective, Number, _intermediate, _otherTrials(Number, fold)));
        }
    }

    /// <summary>
    /// Records something about the trial (Optuna's user attributes): kept by the storage with the
    /// trial (<see cref="FrozenTrial.UserAttributes"/>), and written as text of the session's run
    /// (TensorBoard's Text dashboard, tag <c>tuner/user_attrs/KEY</c>). Setting a key again replaces its value.
    /// </summary>
    /// <param name="key">The attribute's name.</param>
    /// <param name="value">Its value.</param>
    /// <exception cref="ArgumentException">An empty key.</exception>
    public void SetUserAttribute(string key, string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        ArgumentNullException.ThrowIfNull(value);
        _session.UserAttribute(key, value);
        _userAttributes[key] = value;
        _live.SetAttribute(key, value);
    }

    /// <summary>Writes a scalar that is not one of the study's metrics to the trial's run (or sub-run <paramref name="group"/>).</summary>
    public void Scalar(string tag, double value, long step, string group = "") => _session.Scalar(group, tag, value, step);

    // The final value goes after the last reported step, so TensorBoard (which shows the last value) shows it.
    internal void WriteFinal(Metric metric, double value) =>
        _session.Scalar(metric.Group, metric.Tag, value, _lastSteps.TryGetValue(metric, out long last) ? last + 1 : 1);
}
