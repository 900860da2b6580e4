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
    /// When the hparam exists; <see langword="null"/> for always. TensorBoard does not store it:
    /// the experiment declares every hparam, and a session has only those its condition allowed.
    /// </summary>
    public HParamCondition? Condition { get; init; }

    /// <summary>The same hparam, existing only while <paramref name="parent"/> has one of <paramref name="values"/>.</summary>
    /// <param name="parent">The name of the hparam it depends on; it must come earlier in the space.</param>
    /// <param name="values">The parent's values that make it exist.</param>
    /// <example><c>new HParam("num_leaves", new IntInterval(4, 1024) { Log = true }).When("trainer", "lightgbm")</c></example>
    public HParam When(string parent, params object[] values) => this with { Condition = new HParamCondition(parent, values) };

    /// <summary>
    /// Checks that <paramref name="value"/> is in the domain and returns it normalised (whole
    /// numbers as <see cref="long"/>, other numbers as <see cref="double"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The value is null, NaN, of an unsupported type or outside the domain; the message names this hparam, the value and the domain.</exception>
    public object Validate(object? value) => Domain.Validate(Name, value);

    /// <inheritdoc/>
    public override string ToString() => Condition is null ? $"HParam '{Name}': {Domain}" : $"HParam '{Name}': {Domain} {Condition}";

    internal HParamInfo ToInfo()
    {
        var info = new HParamInfo { Name = Name, DisplayName = DisplayName, Description = Description };
        Domain.Describe(info);
        return info;
    }

    internal static HParam FromInfo(HParamInfo info) =>
        new(info.Name, Domain.FromInfo(info), info.DisplayName, info.Description);
}
