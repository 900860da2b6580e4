using HParamsNet.Protos.HParams;

namespace HParamsNet;

/// <summary>
/// What an experiment tunes and measures: its hparams and metrics. Written once to the log
/// directory's root run as the hparams config; TensorBoard then shows exactly these columns.
/// </summary>
public sealed class HParamsExperiment
{
    private readonly Dictionary<string, HParam> _byName;

    /// <summary>Creates an experiment.</summary>
    /// <param name="hparams">The hyperparameters; names must be unique.</param>
    /// <param name="metrics">The metrics; (group, tag) pairs must be unique.</param>
    /// <exception cref="ArgumentException">A duplicate hparam name or metric.</exception>
    public HParamsExperiment(IEnumerable<HParam> hparams, IEnumerable<Metric> metrics)
    {
        ArgumentNullException.ThrowIfNull(hparams);
        ArgumentNullException.ThrowIfNull(metrics);
        HParams = hparams.ToArray();
        Metrics = metrics.ToArray();

        _byName = new Dictionary<string, HParam>(StringComparer.Ordinal);
        foreach (HParam hparam in HParams)
        {
            ArgumentNullException.ThrowIfNull(hparam, nameof(hparams));
            if (!_byName.TryAdd(hparam.Name, hparam))
            {
                throw new ArgumentException(
                    $"Hparam name '{hparam.Name}' is declared twice ({_byName[hparam.Name].Domain} and {hparam.Domain}); each hparam needs its own name.",
                    nameof(hparams));
            }
        }

        var seen = new HashSet<(string Group, string Tag)>();
        foreach (Metric metric in Metrics)
        {
            ArgumentNullException.ThrowIfNull(metric, nameof(metrics));
            if (!seen.Add((metric.Group, metric.Tag)))
            {
                throw new ArgumentException($"{metric} is declared twice; each (group, tag) pair is one metric.", nameof(metrics));
            }
        }
    }

    /// <summary>The hyperparameters, in declaration order.</summary>
    public IReadOnlyList<HParam> HParams { get; }

    /// <summary>The metrics, in declaration order (TensorBoard keeps this order).</summary>
    public IReadOnlyList<Metric> Metrics { get; }

    /// <summary>The experiment's name.</summary>
    public string Name { get; init; } = string.Empty;

    /// <summary>Markdown description.</summary>
    public string Description { get; init; } = string.Empty;

    /// <summary>Who ran it.</summary>
    public string User { get; init; } = string.Empty;

    /// <summary>
    /// When it was created, as read from a log directory; <see langword="null"/> for one not yet
    /// written. A writer given none takes the time of writing.
    /// </summary>
    public DateTimeOffset? TimeCreated { get; init; }

    /// <summary>The hparam named <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No hparam has that name; the message lists the ones that do exist.</exception>
    public HParam this[string name] => _byName.TryGetValue(name, out HParam? hparam)
        ? hparam
        : throw new KeyNotFoundException(UnknownHParamMessage(name));

    /// <summary>
    /// Maps values keyed by hparam name to the experiment's hparams, checking each value against
    /// its domain.
    /// </summary>
    /// <param name="values">Values by hparam name.</param>
    /// <exception cref="ArgumentException">An unknown name, or a value outside its domain.</exception>
    public IReadOnlyDictionary<HParam, object> Resolve(IReadOnlyDictionary<string, object> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var resolved = new Dictionary<HParam, object>(values.Count);
        foreach ((string name, object value) in values)
        {
            if (!_byName.TryGetValue(name, out HParam? hparam))
            {
                throw new ArgumentException(UnknownHParamMessage(name), nameof(values));
            }

            resolved.Add(hparam, hparam.Validate(value));
        }

        return resolved;
    }

    /// <summary>The same experiment, created at <paramref name="time"/>.</summary>
    internal HParamsExperiment CreatedAt(DateTimeOffset time) =>
        new(HParams, Metrics) { Name = Name, Description = Description, User = User, TimeCreated = time };

    internal Experiment ToProto(double timeCreatedSecs)
    {
        var experiment = new Experiment
        {
            Name = Name,
            Description = Description,
            User = User,
            TimeCreatedSecs = timeCreatedSecs,
        };
        experiment.HparamInfos.AddRange(HParams.Select(h => h.ToInfo()));
        experiment.MetricInfos.AddRange(Metrics.Select(m => m.ToInfo()));
        return experiment;
    }

    /// <summary>
    /// The experiment a stored record declares. What no hparam or metric can hold (an empty or
    /// repeated name, a group that is not a relative path) is left out and described through
    /// <paramref name="skipped"/>, so a foreign log directory still reads.
    /// </summary>
    internal static HParamsExperiment FromProto(Experiment experiment, DateTimeOffset? timeCreated, Action<string> skipped)
    {
        var hparams = new List<HParam>();
        foreach (HParamInfo info in experiment.HparamInfos)
        {
            if (hparams.Exists(h => h.Name == info.Name))
            {
                skipped($"hparam '{info.Name}' is declared twice; the first declaration is kept");
            }
            else if (Keep(() => HParam.FromInfo(info), $"hparam '{info.Name}'", skipped) is { } hparam)
            {
                hparams.Add(hparam);
            }
        }

        var metrics = new List<Metric>();
        foreach (MetricInfo info in experiment.MetricInfos)
        {
            if (Keep(() => Metric.FromInfo(info), $"metric '{info.Name?.Group}/{info.Name?.Tag}'", skipped) is { } metric)
            {
                if (metrics.Exists(m => m.Group == metric.Group && m.Tag == metric.Tag))
                {
                    skipped($"{metric} is declared twice; the first declaration is kept");
                }
                else
                {
                    metrics.Add(metric);
                }
            }
        }

        return new HParamsExperiment(hparams, metrics)
        {
            Name = experiment.Name,
            Description = experiment.Description,
            User = experiment.User,
            TimeCreated = timeCreated,
        };

        static T? Keep<T>(Func<T> create, string what, Action<string> skipped)
            where T : class
        {
            try
            {
                return create();
            }
            catch (ArgumentException e)
            {
                skipped($"{what} is left out: {e.Message}");
                return null;
            }
        }
    }

    private string UnknownHParamMessage(string name) =>
        $"Hparam '{name}' is not declared in this experiment (declared: {string.Join(", ", HParams.Select(h => $"'{h.Name}'"))}). Add it to the experiment, or fix the name.";
}
