using System.Net;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace HParamsNet.Reports.Rendering;

/// <summary>
/// The page: the template with the styles, ECharts, our script and the report's data inlined, so
/// the one file opens offline. The data is JSON in a non-executed script element; the default
/// encoder escapes '&lt;', so no value can close it.
/// </summary>
internal static class HtmlReport
{
    private static readonly JsonSerializerOptions Json = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.Default,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Render(StudyReport report)
    {
        var page = new StringBuilder(Resource("report.html"));
        page.Replace("{{title}}", WebUtility.HtmlEncode(report.Options.Title));
        page.Replace("/*{{css}}*/", Resource("report.css"));
        page.Replace("{{data}}", JsonSerializer.Serialize(ReportData.From(report), Json));
        // Replaced last: the libraries' text is never searched for the other placeholders.
        string[] parts = page.ToString().Split("/*{{scripts}}*/");
        return string.Concat(parts[0], Resource("echarts.min.js"), "\n", Resource("report.js"), parts[1]);
    }

    private static string Resource(string name)
    {
        using Stream stream = typeof(HtmlReport).Assembly.GetManifestResourceStream($"HParamsNet.Reports.{name}")
            ?? throw new InvalidOperationException($"The report resource '{name}' is missing from {typeof(HtmlReport).Assembly.GetName().Name}; the build embeds it from Assets/ or Vendor/.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
