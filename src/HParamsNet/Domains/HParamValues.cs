using System.Globalization;
using System.Text;
using Google.Protobuf.WellKnownTypes;

namespace HParamsNet;

/// <summary>
/// Normalises hparam values to the four kinds TensorBoard stores: whole numbers as
/// <see cref="long"/>, other numbers as <see cref="double"/>, <see cref="string"/> and
/// <see cref="bool"/>. Whole and fractional numbers stay distinct (16 vs 16.0) because
/// TensorBoard's Python writer derives group names from that distinction.
/// </summary>
internal static class HParamValues
{
    /// <summary>Normalises <paramref name="value"/> or throws an error that names the hparam.</summary>
    public static object Normalize(string hparamName, object? value)
    {
        ArgumentNullException.ThrowIfNull(hparamName);
        Utf16.ThrowIfInvalid(hparamName, "An hparam name", nameof(hparamName));
        if (value is string text)
        {
            Utf16.ThrowIfInvalid(text, $"The value of hparam '{hparamName}'", nameof(value));
        }

        object normalized = value switch
        {
            null => throw new ArgumentException(
                $"Hparam '{hparamName}' has no value (null). Give a number, string or bool, or leave the hparam out.",
                nameof(value)),
            bool or string => value,
            sbyte or byte or short or ushort or int or uint or long => Convert.ToInt64(value, CultureInfo.InvariantCulture),
            ulong u when u <= long.MaxValue => (long)u,
            float f => (double)f,
            double d => d,
            Half h => (double)h,
            decimal m => (double)m,
            _ => throw new ArgumentException(
                $"Hparam '{hparamName}' has a value of type {value.GetType().Name} ({Format(value)}); TensorBoard stores only numbers, strings and bools.",
                nameof(value)),
        };

        if (normalized is double number && !double.IsFinite(number))
        {
            throw new ArgumentException(
                $"Hparam '{hparamName}' is {Format(number)}, which TensorBoard drops from its session groups and intervals. Give a finite number, or write a string such as \"nan\".",
                nameof(value));
        }

        return normalized;
    }

    /// <summary>Whether a normalised value is a number.</summary>
    public static bool IsNumber(object value) => value is long or double;

    /// <summary>A normalised number as a double.</summary>
    public static double ToDouble(object value) => value switch
    {
        long l => l,
        double d => d,
        _ => throw new ArgumentException($"{Format(value)} is not a number.", nameof(value)),
    };

    /// <summary>A value as people read it in an error message.</summary>
    public static string Format(object? value) => value switch
    {
        null => "null",
        string s => $"\"{s}\"",
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? value.GetType().Name,
    };

    /// <summary>The kind of a normalised value, as error messages name it.</summary>
    public static string KindOf(object value) => value switch
    {
        bool => "bool",
        string => "string",
        long or double => "number",
        _ => value.GetType().Name,
    };

    /// <summary>Orders normalised values of one kind as TensorBoard's Python API sorts them.</summary>
    public static int Compare(object x, object y) => (x, y) switch
    {
        (string a, string b) => HasSurrogates(a, b) ? CompareCodePoints(a, b) : string.CompareOrdinal(a, b),
        (bool a, bool b) => a.CompareTo(b),
        _ => ToDouble(x).CompareTo(ToDouble(y)),
    };

    /// <summary>Whether two normalised values are the same hparam value (16 equals 16.0).</summary>
    public static bool AreEqual(object x, object y) => (x, y) switch
    {
        (string a, string b) => string.Equals(a, b, StringComparison.Ordinal),
        (bool a, bool b) => a == b,
        _ when IsNumber(x) && IsNumber(y) => ToDouble(x).Equals(ToDouble(y)),
        _ => false,
    };

    /// <summary>A normalised value as the protobuf <see cref="Value"/> TensorBoard stores.</summary>
    public static Value ToProto(object normalized) => normalized switch
    {
        string s => Value.ForString(s),
        bool b => Value.ForBool(b),
        _ => Value.ForNumber(ToDouble(normalized)),
    };

    /// <summary>A stored protobuf <see cref="Value"/> as a value (numbers as <see cref="double"/>, as TensorBoard stores them).</summary>
    /// <exception cref="ArgumentException">The value is not a number, a string or a bool.</exception>
    public static object FromProto(Value value) => value.KindCase switch
    {
        Value.KindOneofCase.NumberValue => value.NumberValue,
        Value.KindOneofCase.StringValue => value.StringValue,
        Value.KindOneofCase.BoolValue => value.BoolValue,
        _ => throw new ArgumentException($"A stored hparam value of kind {value.KindCase} is not a number, a string or a bool.", nameof(value)),
    };

    private static bool HasSurrogates(string a, string b) =>
        a.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0 || b.AsSpan().IndexOfAnyInRange('\uD800', '\uDFFF') >= 0;

    // Python compares strings by code point; UTF-16 ordinal order differs once surrogates appear.
    private static int CompareCodePoints(string a, string b)
    {
        StringRuneEnumerator left = a.EnumerateRunes();
        StringRuneEnumerator right = b.EnumerateRunes();
        while (true)
        {
            bool hasLeft = left.MoveNext();
            bool hasRight = right.MoveNext();
            if (!hasLeft || !hasRight)
            {
                return hasLeft.CompareTo(hasRight);
            }

            int c = left.Current.Value.CompareTo(right.Current.Value);
            if (c != 0)
            {
                return c;
            }
        }
    }
}
