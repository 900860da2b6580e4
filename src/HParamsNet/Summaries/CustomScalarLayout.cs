using Google.Protobuf;
using HParamsNet.Protos;

namespace HParamsNet.Summaries;

/// <summary>
/// The Custom Scalars dashboard's layout: categories of charts, each chart several scalar tags
/// together (<see cref="MultilineChart"/>) or a value between its bounds (<see cref="MarginChart"/>).
/// </summary>
/// <param name="Categories">Shown top to bottom.</param>
public sealed record CustomScalarLayout(IReadOnlyList<CustomScalarCategory> Categories)
{
    /// <summary>The tag TensorBoard reads a layout from.</summary>
    public const string Tag = "custom_scalars__config__";

    /// <summary>The plugin's name in summary metadata.</summary>
    public const string PluginName = "custom_scalars";

    /// <summary>The layout as a summary: its serialized form in a string tensor.</summary>
    /// <exception cref="ArgumentException">No category, a category or chart without a title or content, or an empty tag.</exception>
    public Summary ToSummary()
    {
        ArgumentNullException.ThrowIfNull(Categories);
        if (Categories.Count == 0)
        {
            throw new ArgumentException("A custom scalars layout needs at least one category.", nameof(Categories));
        }

        var layout = new Layout();
        foreach (CustomScalarCategory category in Categories)
        {
            layout.Category.Add(category.ToProto());
        }

        return new Summary
        {
            Value =
            {
                new Summary.Types.Value
                {
                    Tag = Tag,
                    Metadata = new SummaryMetadata { PluginData = new SummaryMetadata.Types.PluginData { PluginName = PluginName }, DataClass = DataClass.Tensor },
                    Tensor = new TensorProto { Dtype = DataType.DtString, TensorShape = new TensorShapeProto(), StringVal = { layout.ToByteString() } },
                },
            },
        };
    }

    /// <summary>A layout as TensorBoard stores it, read back; a chart of a kind this version does not know is left out.</summary>
    internal static CustomScalarLayout FromProto(Layout layout) =>
        new([.. layout.Category.Select(c => new CustomScalarCategory(c.Title, [.. c.Chart.Select(ChartOf).OfType<CustomScalarChart>()], c.Closed))]);

    private static CustomScalarChart? ChartOf(Chart chart) => chart.ContentCase switch
    {
        Chart.ContentOneofCase.Multiline => new MultilineChart(chart.Title, [.. chart.Multiline.Tag]),
        Chart.ContentOneofCase.Margin => new MarginChart(chart.Title, [.. chart.Margin.Series.Select(s => new MarginSeries(s.Value, s.Lower, s.Upper))]),
        _ => null,
    };
}

/// <summary>A category of the Custom Scalars dashboard.</summary>
/// <param name="Title">Shown above its charts.</param>
/// <param name="Charts">Its charts.</param>
/// <param name="Closed">Whether it starts folded.</param>
public sealed record CustomScalarCategory(string Title, IReadOnlyList<CustomScalarChart> Charts, bool Closed = false)
{
    internal Category ToProto()
    {
        ArgumentException.ThrowIfNullOrEmpty(Title);
        ArgumentNullException.ThrowIfNull(Charts);
        if (Charts.Count == 0)
        {
            throw new ArgumentException($"Category '{Title}' has no chart.", nameof(Charts));
        }

        var category = new Category { Title = Title, Closed = Closed };
        category.Chart.AddRange(Charts.Select(c => c.ToProto()));
        return category;
    }
}

/// <summary>A chart of the Custom Scalars dashboard.</summary>
/// <param name="Title">Shown above the chart.</param>
public abstract record CustomScalarChart(string Title)
{
    internal abstract Chart ToProto();
}

/// <summary>Several scalar series in one chart: each tag a regular expression over the runs' scalar tags.</summary>
/// <param name="Title">Shown above the chart.</param>
/// <param name="Tags">The tags (regular expressions, e.g. <c>loss/.*</c>).</param>
public sealed record MultilineChart(string Title, IReadOnlyList<string> Tags) : CustomScalarChart(Title)
{
    internal override Chart ToProto()
    {
        ArgumentException.ThrowIfNullOrEmpty(Title);
        if (Tags is null || Tags.Count == 0 || Tags.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException($"Chart '{Title}' needs at least one tag, none empty.", nameof(Tags));
        }

        var content = new MultilineChartContent();
        content.Tag.AddRange(Tags);
        return new Chart { Title = Title, Multiline = content };
    }
}

/// <summary>A value drawn between a lower and an upper bound, each an exact scalar tag.</summary>
/// <param name="Value">The value's tag.</param>
/// <param name="Lower">The lower bound's tag.</param>
/// <param name="Upper">The upper bound's tag.</param>
public sealed record MarginSeries(string Value, string Lower, string Upper);

/// <summary>Values with their bounds in one chart (e.g. a mean between its confidence limits).</summary>
/// <param name="Title">Shown above the chart.</param>
/// <param name="Series">The series.</param>
public sealed record MarginChart(string Title, IReadOnlyList<MarginSeries> Series) : CustomScalarChart(Title)
{
    internal override Chart ToProto()
    {
        ArgumentException.ThrowIfNullOrEmpty(Title);
        if (Series is null || Series.Count == 0 || Series.Any(s => string.IsNullOrEmpty(s.Value) || string.IsNullOrEmpty(s.Lower) || string.IsNullOrEmpty(s.Upper)))
        {
            throw new ArgumentException($"Margin chart '{Title}' needs at least one series, each with a value, lower and upper tag.", nameof(Series));
        }

        var content = new MarginChartContent();
        content.Series.AddRange(Series.Select(s => new MarginChartContent.Types.Series { Value = s.Value, Lower = s.Lower, Upper = s.Upper }));
        return new Chart { Title = Title, Margin = content };
    }
}
