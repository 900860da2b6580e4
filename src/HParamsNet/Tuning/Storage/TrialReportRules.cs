namespace HParamsNet.Tuning.Storage;

/// <summary>What every store checks of a <see cref="TrialReport"/>, in the same words.</summary>
internal static class TrialReportRules
{
    /// <summary>Checks what needs no stored data: finite fold values, non-empty attribute keys, each fold's steps increasing within the report.</summary>
    /// <exception cref="ArgumentException">The report breaks a rule; the message names the trial.</exception>
    public static void Check(string study, int number, TrialReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.FoldValues is { } folds && folds.Any(v => !double.IsFinite(v)))
        {
            double bad = folds.First(v => !double.IsFinite(v));
            throw new ArgumentException($"Trial {number} of study '{study}': fold value {bad} is not finite; a fold that gives no finite value fails its trial.", nameof(report));
        }

        if (report.UserAttributes.Keys.FirstOrDefault(string.IsNullOrEmpty) is not null)
        {
            throw new ArgumentException($"Trial {number} of study '{study}': a user attribute needs a non-empty key.", nameof(report));
        }

        var last = new Dictionary<int, long>();
        foreach (IntermediateValue value in report.Values)
        {
            if (value.Fold < 0)
            {
                throw new ArgumentException($"Trial {number} of study '{study}': fold {value.Fold} is not a fold index.", nameof(report));
            }

            if (last.TryGetValue(value.Fold, out long previous))
            {
                ThrowIfNotAfter(study, number, value, previous);
            }

            last[value.Fold] = value.Step;
        }
    }

    /// <summary>The first value of each fold in the report, which must come after that fold's last recorded step.</summary>
    public static IEnumerable<IntermediateValue> FirstPerFold(TrialReport report) =>
        report.Values.GroupBy(v => v.Fold).Select(g => g.First());

    /// <exception cref="ArgumentException">The step is not after <paramref name="previous"/>.</exception>
    public static void ThrowIfNotAfter(string study, int number, IntermediateValue value, long previous)
    {
        if (value.Step <= previous)
        {
            string fold = value.Fold == 0 ? string.Empty : $" (fold {value.Fold})";
            throw new ArgumentException($"Trial {number} of study '{study}'{fold}: step {value.Step} is not after the previous step {previous}; report each step once, in increasing order.", nameof(value));
        }
    }
}
