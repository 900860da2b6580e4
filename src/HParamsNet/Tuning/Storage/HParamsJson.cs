using System.Text.Json;

namespace HParamsNet.Tuning.Storage;

/// <summary>A trial's configuration as JSON that reads back with its types (<see cref="HParamJson"/>), in one canonical text per configuration.</summary>
internal static class HParamsJson
{
    public static string Write(IReadOnlyDictionary<string, object> hparams)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach ((string name, object value) in hparams.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                writer.WritePropertyName(name);
                if (!HParamJson.TryWrite(writer, value))
                {
                    throw new ArgumentException($"Hparam '{name}' has a value of type {value.GetType().Name}; a normalised configuration holds long, double, bool and string.", nameof(hparams));
                }
            }

            writer.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static Dictionary<string, object> Read(string json)
    {
        using JsonDocument document = JsonDocument.Parse(json);
        var hparams = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (JsonProperty property in document.RootElement.EnumerateObject())
        {
            JsonElement value = property.Value;
            hparams[property.Name] = HParamJson.Read(value)
                ?? throw new InvalidOperationException($"Hparam '{property.Name}' is stored as {value.ValueKind}; the storage is damaged.");
        }

        return hparams;
    }
}
