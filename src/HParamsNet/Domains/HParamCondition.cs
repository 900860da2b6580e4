namespace HParamsNet;

/// <summary>
/// When a conditional hparam exists: only while another hparam of the space (its parent) has one
/// of the given values, e.g. <c>num_leaves</c> only when <c>trainer</c> is <c>"lightgbm"</c>
/// (Keras Tuner's <c>conditional_scope</c>, Optuna's define-by-run spaces). A trial where the
/// condition does not hold has no value for the hparam: TensorBoard shows it as absent there.
/// Immutable; compares by value.
/// </summary>
public sealed record HParamCondition
{
    private readonly object[] _values;

    /// <summary>Creates a condition.</summary>
    /// <param name="parent">The name of the hparam it depends on; it must come earlier in the space.</param>
    /// <param name="values">The parent's values that make the hparam exist; at least one.</param>
    /// <exception cref="ArgumentException">No parent name, or no values, or a value that is not a number, string or bool.</exception>
    public HParamCondition(string parent, params object[] values)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(parent);
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length == 0)
        {
            throw new ArgumentException($"A condition on '{parent}' needs at least one of its values.", nameof(values));
        }

        Parent = parent;
        _values = [.. values.Select((v, i) => HParamValues.Normalize($"Condition value #{i} of '{parent}'", v))];
    }

    /// <summary>The name of the hparam it depends on.</summary>
    public string Parent { get; }

    /// <summary>The parent's values that make the hparam exist.</summary>
    public IReadOnlyList<object> Values => _values;

    /// <summary>Whether a configuration (values by name, inactive hparams absent) makes the hparam exist.</summary>
    /// <param name="configuration">Values by hparam name.</param>
    public bool IsMetBy(IReadOnlyDictionary<string, object> configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        return configuration.TryGetValue(Parent, out object? value) && Array.Exists(_values, v => HParamValues.AreEqual(v, value));
    }

    /// <inheritdoc/>
    public bool Equals(HParamCondition? other) =>
        other is not null && Parent == other.Parent && _values.Length == other._values.Length
        && _values.Zip(other._values).All(p => HParamValues.AreEqual(p.First, p.Second));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Parent, _values.Length);

    /// <inheritdoc/>
    public override string ToString() =>
        _values.Length == 1
            ? $"when {Parent} = {HParamValues.Format(_values[0])}"
            : $"when {Parent} in {{{string.Join(", ", _values.Select(HParamValues.Format))}}}";
}
