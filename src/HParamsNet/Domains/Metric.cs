using HParamsNet.Protos.HParams;

namespace HParamsNet;

/// <summary>
/// A metric of an experiment: the scalar series, by tag and run sub-directory, that TensorBoard's
/// HParams dashboard shows for each session (its last value).
/// </summary>
public sealed record Metric
{
    /// <summary>Creates a metric.</summary>
    /// <param name="tag">The scalar tag.</param>
    /// <param name="group">The sub-directory of the session's run that holds the series (e.g. "validation"); empty for the session's own run.</param>
    /// <param name="displayName">The column title in TensorBoard.</param>
    /// <param name="description">Markdown shown in TensorBoard.</param>
    /// <param name="datasetType">Which data the metric is measured on.</param>
    /// <exception cref="ArgumentException"><paramref name="tag"/> is empty, or <paramref name="group"/> is not a relative path.</exception>
    public Metric(string tag, string group = "", string displayName = "", string description = "", DatasetType datasetType = DatasetType.Unknown)
    {
        ArgumentNullException.ThrowIfNull(tag);
        if (tag.Length == 0)
        {
            throw new ArgumentException("A metric needs a non-empty tag.", nameof(tag));
        }

        group ??= string.Empty;
        Utf16.ThrowIfInvalid(tag, $"Metric tag '{tag}'", nameof(tag));
        Utf16.ThrowIfInvalid(group, $"The group of metric '{tag}'", nameof(group));
        if (Path.IsPathRooted(group) || group.StartsWith('/') || group.EndsWith('/'))
        {
            throw new ArgumentException(
                $"Metric '{tag}': group '{group}' must be a relative sub-directory such as \"validation\", with no leading or trailing '/'.",
                nameof(group));
        }

        if (!Enum.IsDefined(datasetType))
        {
            throw new ArgumentException($"Metric '{tag}': dataset type {(int)datasetType} is not one of Unknown, Training, Validation.", nameof(datasetType));
        }

        Tag = tag;
        Group = group;
        DisplayName = displayName ?? string.Empty;
        Description = description ?? string.Empty;
        DatasetType = datasetType;
    }

    /// <summary>The scalar tag.</summary>
    public string Tag { get; }

    /// <summary>The sub-directory of the session's run that holds the series; empty for the session's own run.</summary>
    public string Group { get; }

    /// <summary>The column title in TensorBoard.</summary>
    public string DisplayName { get; }

    /// <summary>Markdown shown in TensorBoard.</summary>
    public string Description { get; }

    /// <summary>Which data the metric is measured on.</summary>
    public DatasetType DatasetType { get; }

    /// <inheritdoc/>
    public override string ToString() => Group.Length == 0 ? $"Metric '{Tag}'" : $"Metric '{Group}/{Tag}'";

    internal MetricInfo ToInfo() => new()
    {
        Name = new MetricName { Group = Group, Tag = Tag },
        DisplayName = DisplayName,
        Description = Description,
        DatasetType = (Protos.HParams.DatasetType)DatasetType,
    };

    internal static Metric FromInfo(MetricInfo info) => new(
        info.Name?.Tag ?? string.Empty,
        info.Name?.Group ?? string.Empty,
        info.DisplayName,
        info.Description,
        Enum.IsDefined((DatasetType)info.DatasetType) ? (DatasetType)info.DatasetType : DatasetType.Unknown);
}
