using System.Globalization;
using System.Text.Json;

namespace HParamsNet.Tuning.Storage;

/// <summary>
/// A trial's configuration as JSON that reads back with its types: whole numbers (long) without a
/// decimal point, reals (double) always with one or an exponent, so 2.0 stays a double.
/// </summary>
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
                switch (value)
                {
                    case long l: writer.WriteNumberValue(l); break;
                    case double d: writer.WriteRawValue(Real(d)); break;
                    case bool b: writer.WriteBooleanValue(b); break;
                    case string text: writer.WriteStringValue(text); break;
                    default: throw new ArgumentException($"Hparam '{name}' has a value of type {value.GetType().Name}; a normalised configuration holds long, double, bool and string.", nameof(hparams));
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
            hparams[property.Name] = value.ValueKind switch
            {
                JsonValueKind.String => value.GetString()!,
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.Number when value.GetRawText().IndexOfAny(['.', 'e', 'E']) < 0 => value.GetInt64(),
                JsonValueKind.Number => value.GetDouble(),
                _ => throw new InvalidOperationException($"Hparam '{property.Name}' is stored as {value.ValueKind}; the storage is damaged."),
            };
        }

        return hparams;
    }

    // Round-trip text that JSON readers and this one read as a real number.
    private static string Real(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(['.', 'E', 'e']) >= 0 ? text : text + ".0";
    }
}
