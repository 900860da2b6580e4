using HParamsNet.Protos.HParams;

namespace HParamsNet;

/// <summary>
/// A hyperparameter of an experiment: a name, the domain of values it ranges over, and how
/// TensorBoard labels it. Immutable; compares by value, so it can key a dictionary of values.
/// </summary>
public sealed record HParam
{
    /// <summary>Creates a hyperparameter.</summary>
    /// <param name="name">The id, unique within an experiment; the key TensorBoard stores values under.</param>
    /// <param name="domain">The values it may take; <see cref="Domain.Unspecified"/> for an hparam that is only recorded, never tuned.</param>
    /// <param name="displayName">The column title in TensorBoard; <paramref name="name"/> when empty.</param>
    /// <param name="description">Markdown shown in TensorBoard.</param>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public HParam(string name, Domain domain, string displayName = "", string description = "")
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(domain);
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new ArgumentException("An hparam needs a non-empty name.", nameof(name));
        }

        Utf16.ThrowIfInvalid(name, $"The name of hparam '{name}'", nameof(name));
        Name = name;
        Domain = domain;
        DisplayName = displayName ?? string.Empty;
        Description = description ?? string.Empty;
    }

    /// <summary>The id, and the key TensorBoard stores values under.</summary>
    public string Name { get; }

    /// <summary>The values it may take.</summary>
    public Domain Domain { get; }

    /// <summary>The column title in TensorBoard; empty means <see cref="Name"/>.</summary>
    public string DisplayName { get; }

    /// <summary>Markdown shown in TensorBoard.</summary>
    public string Description { get; }

    /// <summary>
    /// Checks that <paramref name="value"/> is in the domain and returns it normalised (whole
    /// numbers as <see cref="long"/>, other numbers as <see cref="double"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The value is null, NaN, of an unsupported type or outside the domain; the message names this hparam, the value and the domain.</exception>
    public object Validate(object? value) => Domain.Validate(Name, value);

    /// <inheritdoc/>
    public override string ToString() => $"HParam '{Name}': {Domain}";

    internal HParamInfo ToInfo()
    {
        var info = new HParamInfo { Name = Name, DisplayName = DisplayName, Description = Description };
        Domain.Describe(info);
        return info;
    }

    internal static HParam FromInfo(HParamInfo info) =>
        new(info.Name, Domain.FromInfo(info), info.DisplayName, info.Description);
}
