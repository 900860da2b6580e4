namespace HParamsNet.Tuning.Storage;

/// <summary>Checks a trial's configuration against its study's hparams before a storage records it.</summary>
internal static class StudyHParams
{
    /// <summary>The configuration normalised (numbers as long or double), every active hparam present and inside its domain, every inactive one absent.</summary>
    /// <exception cref="ArgumentException">A value is missing, unknown, outside its domain, or given to an hparam whose condition does not hold; the message names it.</exception>
    public static IReadOnlyDictionary<string, object> Validate(HParamsExperiment experiment, IReadOnlyDictionary<string, object> hparams)
    {
        var byName = experiment.HParams.ToDictionary(h => h.Name, StringComparer.Ordinal);
        foreach (string name in hparams.Keys.Where(name => !byName.ContainsKey(name)))
        {
            throw new ArgumentException($"Hparam '{name}' is not one of the study's ({string.Join(", ", byName.Keys)}).", nameof(hparams));
        }

        var normalized = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (HParam hparam in experiment.HParams)
        {
            bool active = ConditionalSpace.IsActiveIn(hparam, normalized);
            bool given = hparams.TryGetValue(hparam.Name, out object? value);
            if (!active)
            {
                if (given)
                {
                    throw new ArgumentException($"Hparam '{hparam.Name}' has a value, but it exists only {hparam.Condition}; leave it out of this configuration.", nameof(hparams));
                }

                continue;
            }

            if (!given)
            {
                throw new ArgumentException($"Hparam '{hparam.Name}' has no value; a trial's configuration gives every active hparam of the study a value.", nameof(hparams));
            }

            normalized[hparam.Name] = AsDomainType(hparam.Domain, hparam.Validate(value));
        }

        return normalized;
    }

    // One text per configuration whatever its source: TensorBoard stores every number as a double,
    // so 16 read back from a session is typed as its domain types it (16 for a whole-number domain).
    private static object AsDomainType(Domain domain, object value) => (domain.ValueType, value) switch
    {
        (Type t, double d) when t == typeof(long) && d == Math.Floor(d) && Math.Abs(d) < 9007199254740992d => (long)d,
        (Type t, long l) when t == typeof(double) => (double)l,
        _ => value,
    };
}
