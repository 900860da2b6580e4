using System.Globalization;
using System.Text.Json;

namespace HParamsNet;

/// <summary>
/// An hparam value as JSON that reads back with its type: whole numbers (long) without a decimal
/// point, reals (double) always with one or an exponent, so that 2.0 stays a real. What the
/// storages' configurations and the studies' records both write.
/// </summary>
internal static class HParamJson
{
    /// <summary>Writes a normalised value (long, double, bool or string).</summary>
    /// <returns><see langword="false"/> for a value of another type (nothing is written).</returns>
    public static bool TryWrite(Utf8JsonWriter writer, object value)
    {
        switch (value)
        {
            case long whole: writer.WriteNumberValue(whole); return true;
            case double real: writer.WriteRawValue(Real(real)); return true;
            case bool flag: writer.WriteBooleanValue(flag); return true;
            case string text: writer.WriteStringValue(text); return true;
            default: return false;
        }
    }

    /// <summary>Reads a value written by <see cref="TryWrite"/>; <see langword="null"/> for JSON of another kind.</summary>
    public static object? Read(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Number when value.GetRawText().IndexOfAny(['.', 'e', 'E']) < 0 => value.GetInt64(),
        JsonValueKind.Number => value.GetDouble(),
        _ => null,
    };

    // Round-trip text that JSON readers and this one read as a real number.
    private static string Real(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(['.', 'E', 'e']) >= 0 ? text : text + ".0";
    }
}
