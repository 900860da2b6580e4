namespace HParamsNet.Reports;

/// <summary>How an hparam is drawn: as numbers (on a linear or log axis) or as categories.</summary>
/// <param name="Name">The hparam's name.</param>
/// <param name="Numeric">Every value is a number.</param>
/// <param name="Log">Drawn on a log axis.</param>
/// <param name="Why">Why the axis is logarithmic, shown on the page; empty for a linear or category axis.</param>
/// <param name="Categories">The categories in order, for a category axis.</param>
internal sealed record HParamAxis(string Name, bool Numeric, bool Log, string Why, IReadOnlyList<string> Categories)
{
    public static HParamAxis For(string name, IEnumerable<object> values, IReadOnlyList<HParam> space)
    {
        object[] seen = [.. values];
        Domain? domain = space.FirstOrDefault(h => h.Name == name)?.Domain;
        // A short list of numbers (units 16, 32) reads best as categories, in the domain's order.
        if (domain is Discrete { Values.Count: <= 12 } few && seen.All(v => v is long or double))
        {
            return new HParamAxis(name, Numeric: false, Log: false, string.Empty, [.. few.Values.Select(Label)]);
        }

        if (seen.Length > 0 && seen.All(v => v is long or double))
        {
            double[] numbers = [.. seen.Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture))];
            bool declared = domain is RealInterval { Log: true } or IntInterval { Log: true };
            bool spans = !declared && numbers.Min() > 0 && numbers.Max() / numbers.Min() >= 100; // TensorBoard does not store the scale
            string why = declared ? "log-scale domain" : spans ? $"values span {numbers.Min():G3} to {numbers.Max():G3}" : string.Empty;
            return new HParamAxis(name, Numeric: true, Log: declared || spans, why, []);
        }

        string[] categories = domain is Discrete discrete
            ? [.. discrete.Values.Select(Label)]
            : [.. seen.Select(Label).Distinct().Order(StringComparer.Ordinal)];
        return new HParamAxis(name, Numeric: false, Log: false, string.Empty, categories);
    }

    public static string Label(object value) => value switch
    {
        bool b => b ? "true" : "false",
        double d => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        _ => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty,
    };
}
