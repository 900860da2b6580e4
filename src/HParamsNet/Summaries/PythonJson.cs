using System.Globalization;
using System.Text;

namespace HParamsNet.Summaries;

/// <summary>
/// Writes hparam values exactly as Python's <c>json.dumps(..., sort_keys=True,
/// separators=(",", ":"))</c> does, so that group names derived from them equal those of
/// TensorBoard's Python writer.
/// </summary>
internal static class PythonJson
{
    /// <summary>A JSON object of normalised hparam values, keys sorted by code point.</summary>
    public static string SerializeSortedObject(IEnumerable<KeyValuePair<string, object>> values)
    {
        var entries = values.ToList();
        entries.Sort((a, b) => HParamValues.Compare(a.Key, b.Key));
        var json = new StringBuilder("{");
        for (int i = 0; i < entries.Count; i++)
        {
            if (i > 0)
            {
                json.Append(',');
            }

            AppendString(json, entries[i].Key);
            json.Append(':');
            AppendValue(json, entries[i].Value);
        }

        return json.Append('}').ToString();
    }

    /// <summary>Python's <c>repr(float)</c>: the shortest digits that round-trip, fixed or exponent form.</summary>
    public static string FormatFloat(double value)
    {
        if (double.IsNaN(value))
        {
            return "NaN";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? "Infinity" : "-Infinity";
        }

        if (value == 0)
        {
            return double.IsNegative(value) ? "-0.0" : "0.0";
        }

        // "R" gives the shortest digits that round-trip (as Python's repr does) but lays them out
        // differently, so take its digits and exponent and lay them out as Python does.
        string r = Math.Abs(value).ToString("R", CultureInfo.InvariantCulture);
        int exponentAt = r.IndexOf('E', StringComparison.Ordinal);
        string mantissa = exponentAt >= 0 ? r[..exponentAt] : r;
        int exponent = exponentAt >= 0 ? int.Parse(r[(exponentAt + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string digits = dot >= 0 ? mantissa.Remove(dot, 1) : mantissa;
        int pointPosition = (dot >= 0 ? dot : mantissa.Length) + exponent;

        // Leading zeros ("0.0001" gives "00001") move the decimal point.
        int leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0');
        pointPosition -= leadingZeros;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        string sign = value < 0 ? "-" : string.Empty;
        if (pointPosition <= -4 || pointPosition > 16)
        {
            int e = pointPosition - 1;
            string fraction = digits.Length > 1 ? "." + digits[1..] : string.Empty;
            string expSign = e < 0 ? "-" : "+";
            return string.Create(CultureInfo.InvariantCulture, $"{sign}{digits[0]}{fraction}e{expSign}{Math.Abs(e):D2}");
        }

        if (pointPosition <= 0)
        {
            return sign + "0." + new string('0', -pointPosition) + digits;
        }

        if (pointPosition < digits.Length)
        {
            return sign + digits[..pointPosition] + "." + digits[pointPosition..];
        }

        return sign + digits + new string('0', pointPosition - digits.Length) + ".0";
    }

    private static void AppendValue(StringBuilder json, object value)
    {
        switch (value)
        {
            case string s:
                AppendString(json, s);
                break;
            case bool b:
                json.Append(b ? "true" : "false");
                break;
            case long l:
                json.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                json.Append(FormatFloat(d));
                break;
            default:
                throw new ArgumentException($"{value.GetType().Name} is not a normalised hparam value.", nameof(value));
        }
    }

    // ensure_ascii=True: everything outside printable ASCII becomes \uXXXX (lowercase hex).
    private static void AppendString(StringBuilder json, string value)
    {
        json.Append('"');
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': json.Append("\\\""); break;
                case '\\': json.Append("\\\\"); break;
                case '\n': json.Append("\\n"); break;
                case '\r': json.Append("\\r"); break;
                case '\t': json.Append("\\t"); break;
                case '\b': json.Append("\\b"); break;
                case '\f': json.Append("\\f"); break;
                default:
                    if (c < ' ' || c > '~')
                    {
                        json.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        json.Append(c);
                    }

                    break;
            }
        }

        json.Append('"');
    }
}
