using System.Globalization;
using System.Text.Json;

namespace HParamsNet.Sessions;

/// <summary>
/// What a study records about itself beside its trials, where readers find it (the root run of
/// its log directory, and its storage): the direction of its objective, its full search space
/// (log scales, integer intervals and conditions, which TensorBoard's experiment does not keep),
/// its strategy and its folds. The <c>hparams</c> tool ranks by the recorded direction instead of
/// guessing it from the metric's name.
/// </summary>
/// <param name="Name">The study's name.</param>
/// <param name="Experiment">Its hparams (as declared) and metrics.</param>
/// <param name="Objective">The metric optimised and its direction.</param>
public sealed record StudyRecord(string Name, HParamsExperiment Experiment, Objective Objective)
{
    /// <summary>The text tag of the root run that holds the record (TensorBoard's Text dashboard shows it).</summary>
    public const string TextTag = "tuner/definition";

    private const string Format = "hparamsnet.study/1";

    private readonly IReadOnlyList<Objective>? _objectives;

    /// <summary>Every objective, in the order trials give their values; the first is <see cref="Objective"/>.</summary>
    public IReadOnlyList<Objective> Objectives
    {
        get => _objectives ?? [Objective];
        init => _objectives = value;
    }

    /// <summary>Metrics whose final value must be at most 0 for a trial to be feasible; none by default.</summary>
    public IReadOnlyList<Metric> Constraints { get; init; } = [];

    /// <summary>The strategy's type name (e.g. <c>GpSearch</c>), when recorded.</summary>
    public string? Strategy { get; init; }

    /// <summary>Cross-validation folds per trial; <see langword="null"/> without cross-validation.</summary>
    public int? Folds { get; init; }

    /// <summary>The record as JSON (what the storages and the log directory keep).</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteString("name", Name);
            json.WritePropertyName("objective");
            WriteObjective(json, Objective);
            if (Objectives.Count > 1)
            {
                json.WriteStartArray("objectives");
                foreach (Objective objective in Objectives)
                {
                    WriteObjective(json, objective);
                }

                json.WriteEndArray();
            }

            if (Constraints.Count > 0)
            {
                json.WriteStartArray("constraints");
                foreach (Metric constraint in Constraints)
                {
                    json.WriteStartObject();
                    WriteMetricId(json, constraint);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }
            if (Strategy is not null)
            {
                json.WriteString("strategy", Strategy);
            }

            if (Folds is int folds)
            {
                json.WriteNumber("folds", folds);
            }

            json.WriteStartArray("hparams");
            foreach (HParam hparam in Experiment.HParams)
            {
                WriteHParam(json, hparam);
            }

            json.WriteEndArray();
            json.WriteStartArray("metrics");
            foreach (Metric metric in Experiment.Metrics)
            {
                json.WriteStartObject();
                WriteMetricId(json, metric);
                json.WriteString("display_name", metric.DisplayName);
                json.WriteString("description", metric.Description);
                json.WriteString("dataset_type", metric.DatasetType.ToString().ToLowerInvariant());
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads a record written by <see cref="ToJson"/>.</summary>
    /// <param name="json">The record's text.</param>
    /// <exception cref="FormatException">The text is not such a record; the message says what is wrong.</exception>
    public static StudyRecord FromJson(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        try
        {
            using JsonDocument document = JsonDocument.Parse(json);
            JsonElement root = document.RootElement;
            if (root.GetProperty("format").GetString() != Format)
            {
                throw new FormatException($"The study record has format '{root.GetProperty("format").GetString()}'; this library reads '{Format}'.");
            }

            var hparams = root.GetProperty("hparams").EnumerateArray().Select(ReadHParam).ToList();
            var metrics = root.GetProperty("metrics").EnumerateArray().Select(m => new Metric(
                m.GetProperty("tag").GetString()!,
                m.GetProperty("group").GetString()!,
                m.GetProperty("display_name").GetString()!,
                m.GetProperty("description").GetString()!,
                Enum.Parse<DatasetType>(m.GetProperty("dataset_type").GetString()!, ignoreCase: true))).ToList();
            Metric MetricOf(JsonElement id)
            {
                (string tag, string group) = (id.GetProperty("tag").GetString()!, id.GetProperty("group").GetString()!);
                return metrics.FirstOrDefault(m => m.Tag == tag && m.Group == group) ?? new Metric(tag, group);
            }

            Objective ObjectiveOf(JsonElement objective) => new(MetricOf(objective), objective.GetProperty("direction").GetString() switch
            {
                "minimize" => StudyDirection.Minimize,
                "maximize" => StudyDirection.Maximize,
                string other => throw new FormatException($"The study record's direction is '{other}', not minimize or maximize."),
                null => throw new FormatException("The study record has no direction."),
            });

            Objective first = ObjectiveOf(root.GetProperty("objective"));
            return new StudyRecord(root.GetProperty("name").GetString()!, new HParamsExperiment(hparams, metrics), first)
            {
                Objectives = root.TryGetProperty("objectives", out JsonElement objectives) ? [.. objectives.EnumerateArray().Select(ObjectiveOf)] : [first],
                Constraints = root.TryGetProperty("constraints", out JsonElement constraints) ? [.. constraints.EnumerateArray().Select(MetricOf)] : [],
                Strategy = root.TryGetProperty("strategy", out JsonElement strategy) ? strategy.GetString() : null,
                Folds = root.TryGetProperty("folds", out JsonElement folds) ? folds.GetInt32() : null,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or ArgumentException or NullReferenceException)
        {
            throw new FormatException($"The study record is damaged: {e.Message}", e);
        }
    }

    private static void WriteObjective(Utf8JsonWriter json, Objective objective)
    {
        json.WriteStartObject();
        WriteMetricId(json, objective.Metric);
        json.WriteString("direction", objective.Direction == StudyDirection.Minimize ? "minimize" : "maximize");
        json.WriteEndObject();
    }

    private static void WriteMetricId(Utf8JsonWriter json, Metric metric)
    {
        json.WriteString("group", metric.Group);
        json.WriteString("tag", metric.Tag);
    }

    private static void WriteHParam(Utf8JsonWriter json, HParam hparam)
    {
        json.WriteStartObject();
        json.WriteString("name", hparam.Name);
        if (hparam.DisplayName.Length > 0)
        {
            json.WriteString("display_name", hparam.DisplayName);
        }

        if (hparam.Description.Length > 0)
        {
            json.WriteString("description", hparam.Description);
        }

        switch (hparam.Domain)
        {
            case RealInterval real:
                json.WriteString("type", "real");
                WriteNumber(json, "min", real.MinValue);
                WriteNumber(json, "max", real.MaxValue);
                json.WriteBoolean("log", real.Log);
                break;
            case IntInterval integer:
                json.WriteString("type", "int");
                json.WriteNumber("min", integer.MinValue);
                json.WriteNumber("max", integer.MaxValue);
                json.WriteBoolean("log", integer.Log);
                break;
            case Discrete discrete:
                json.WriteString("type", "discrete");
                json.WriteStartArray("values");
                foreach (object value in discrete.Values)
                {
                    WriteValue(json, value);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteString("type", "unspecified");
                break;
        }

        if (hparam.Condition is HParamCondition condition)
        {
            json.WriteStartObject("condition");
            json.WriteString("parent", condition.Parent);
            json.WriteStartArray("values");
            foreach (object value in condition.Values)
            {
                WriteValue(json, value);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndObject();
    }

    private static HParam ReadHParam(JsonElement element)
    {
        Domain domain = element.GetProperty("type").GetString() switch
        {
            "real" => new RealInterval(element.GetProperty("min").GetDouble(), element.GetProperty("max").GetDouble()) { Log = element.GetProperty("log").GetBoolean() },
            "int" => new IntInterval(element.GetProperty("min").GetInt64(), element.GetProperty("max").GetInt64()) { Log = element.GetProperty("log").GetBoolean() },
            "discrete" => new Discrete([.. element.GetProperty("values").EnumerateArray().Select(ReadValue)]),
            "unspecified" => Domain.Unspecified,
            string other => throw new FormatException($"The study record has a domain of type '{other}'."),
            null => throw new FormatException("The study record has an hparam without a domain type."),
        };
        var hparam = new HParam(
            element.GetProperty("name").GetString()!,
            domain,
            element.TryGetProperty("display_name", out JsonElement display) ? display.GetString()! : string.Empty,
            element.TryGetProperty("description", out JsonElement description) ? description.GetString()! : string.Empty);
        return element.TryGetProperty("condition", out JsonElement condition)
            ? hparam.When(condition.GetProperty("parent").GetString()!, [.. condition.GetProperty("values").EnumerateArray().Select(ReadValue)])
            : hparam;
    }

    private static void WriteNumber(Utf8JsonWriter json, string name, double value)
    {
        json.WritePropertyName(name);
        WriteValue(json, value);
    }

    private static void WriteValue(Utf8JsonWriter json, object value)
    {
        if (!HParamJson.TryWrite(json, value))
        {
            json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
        }
    }

    private static object ReadValue(JsonElement value) =>
        HParamJson.Read(value) ?? throw new FormatException($"The study record holds a value of kind {value.ValueKind}.");
}
