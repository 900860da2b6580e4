namespace HParamsNet;

/// <summary>
/// The rules of a space with conditional hparams: a parent comes before the hparams that depend on
/// it, a condition names values of the parent's domain, and a configuration holds exactly the
/// hparams whose conditions hold (inactive ones absent, as TensorBoard then shows them).
/// </summary>
internal static class ConditionalSpace
{
    /// <summary>Throws when a condition names an hparam that is not earlier in the space, or values outside its domain.</summary>
    /// <exception cref="ArgumentException">The message names the hparam, its parent and what to change.</exception>
    public static void Validate(IReadOnlyList<HParam> space, string paramName)
    {
        for (int i = 0; i < space.Count; i++)
        {
            if (space[i].Condition is not { } condition)
            {
                continue;
            }

            int parent = -1;
            for (int j = 0; j < space.Count; j++)
            {
                parent = space[j].Name == condition.Parent ? j : parent;
            }

            if (parent < 0 || parent >= i)
            {
                throw new ArgumentException(
                    parent < 0
                        ? $"Hparam '{space[i].Name}' exists {condition}, but the space has no hparam '{condition.Parent}'. Add it, or fix the name."
                        : $"Hparam '{space[i].Name}' exists {condition}, but '{condition.Parent}' comes after it in the space. Declare '{condition.Parent}' first.",
                    paramName);
            }

            foreach (object value in condition.Values.Where(v => !space[parent].Domain.Contains(v)))
            {
                throw new ArgumentException(
                    $"Hparam '{space[i].Name}' exists {condition}, but {HParamValues.Format(value)} is not in the domain of '{condition.Parent}' ({space[parent].Domain}), so it would never exist. Use values of that domain.",
                    paramName);
            }
        }
    }

    /// <summary>Whether the space has a conditional hparam.</summary>
    public static bool IsConditional(IReadOnlyList<HParam> space) => space.Any(h => h.Condition is not null);

    /// <summary>
    /// The configuration with only its active hparams, in space order: an hparam whose condition
    /// does not hold (its parent absent or with another value) is dropped.
    /// </summary>
    public static Dictionary<HParam, object> Active(IReadOnlyList<HParam> space, IReadOnlyDictionary<HParam, object> configuration)
    {
        var active = new Dictionary<HParam, object>(configuration.Count);
        var byName = new Dictionary<string, object>(configuration.Count, StringComparer.Ordinal);
        foreach (HParam hparam in space)
        {
            if (configuration.TryGetValue(hparam, out object? value) && (hparam.Condition?.IsMetBy(byName) ?? true))
            {
                active[hparam] = value;
                byName[hparam.Name] = HParamValues.Normalize(hparam.Name, value);
            }
        }

        return active;
    }

    /// <summary>Whether <paramref name="hparam"/> exists in a recorded configuration (values by name).</summary>
    public static bool IsActiveIn(HParam hparam, IReadOnlyDictionary<string, object> recorded) =>
        hparam.Condition?.IsMetBy(recorded) ?? true;
}
