using MathNet.Numerics.Statistics;

namespace HParamsNet.Reports.Importance;

/// <summary>
/// PED-ANOVA (Watanabe, Bansal and Hutter, IJCAI 2023), the importance Optuna's
/// <c>PedAnovaImportanceEvaluator</c> computes: an hparam matters as much as the distribution of
/// its values among the best trials (the top <c>topQuantile</c>) departs from their distribution
/// among all trials, measured by the Pearson divergence. Needs no model fit, so it is cheap at
/// 10,000 trials. Numbers are compared through Gaussian kernel densities on a 50-point grid (on the
/// log scale for log-scale hparams), categories through their smoothed frequencies.
/// </summary>
public static class PedAnova
{
    private const int GridPoints = 50;

    /// <summary>The fewest trials with a value the importances are computed from.</summary>
    public const int MinimumTrials = 5;

    /// <summary>The importance of each hparam, largest first; empty below <see cref="MinimumTrials"/> trials.</summary>
    /// <param name="configurations">Each trial's values by hparam name (a trial may lack an hparam).</param>
    /// <param name="values">Each trial's objective value, in the same order; NaN values are left out.</param>
    /// <param name="direction">Whether lower or higher values are better.</param>
    /// <param name="logScale">Names of hparams whose numbers are compared on a log scale.</param>
    /// <param name="topQuantile">The share of trials taken as the best; Optuna's default 0.1.</param>
    /// <exception cref="ArgumentException">The lists differ in length, or the quantile is not in (0, 1).</exception>
    public static IReadOnlyList<HParamImportance> Evaluate(
        IReadOnlyList<IReadOnlyDictionary<string, object>> configurations,
        IReadOnlyList<double> values,
        StudyDirection direction,
        IReadOnlySet<string>? logScale = null,
        double topQuantile = 0.1)
    {
        ArgumentNullException.ThrowIfNull(configurations);
        ArgumentNullException.ThrowIfNull(values);
        if (configurations.Count != values.Count)
        {
            throw new ArgumentException($"{configurations.Count} configurations but {values.Count} values; give one value per configuration.", nameof(values));
        }

        if (topQuantile is <= 0 or >= 1)
        {
            throw new ArgumentException($"topQuantile {topQuantile} is not between 0 and 1 (exclusive); Optuna's default is 0.1.", nameof(topQuantile));
        }

        int[] finite = [.. Enumerable.Range(0, values.Count).Where(i => double.IsFinite(values[i]))];
        if (finite.Length < MinimumTrials)
        {
            return [];
        }

        int[] ranked = direction == StudyDirection.Minimize
            ? [.. finite.OrderBy(i => values[i])]
            : [.. finite.OrderByDescending(i => values[i])];
        int topCount = Math.Max(2, (int)Math.Ceiling(ranked.Length * topQuantile));
        var top = new HashSet<int>(ranked.Take(topCount));

        var divergences = new List<HParamImportance>();
        foreach (string name in finite.SelectMany(i => configurations[i].Keys).Distinct().Order(StringComparer.Ordinal))
        {
            int[] having = [.. finite.Where(i => configurations[i].ContainsKey(name))];
            object[] all = [.. having.Select(i => configurations[i][name])];
            object[] best = [.. having.Where(top.Contains).Select(i => configurations[i][name])];
            double divergence = best.Length < 2 ? 0
                : all.All(IsNumber) ? NumericDivergence(all, best, logScale?.Contains(name) == true)
                : CategoricalDivergence(all, best);
            divergences.Add(new HParamImportance(name, divergence));
        }

        double total = divergences.Sum(d => d.Importance);
        return [.. divergences
            .Select(d => d with { Importance = total > 0 ? d.Importance / total : 0 })
            .OrderByDescending(d => d.Importance)
            .ThenBy(d => d.Name, StringComparer.Ordinal)];
    }

    private static bool IsNumber(object value) => value is long or double or int or float;

    // Pearson divergence of the best trials' distribution from all trials', on a shared grid.
    private static double Pearson(double[] region, double[] best)
    {
        double divergence = 0;
        for (int i = 0; i < region.Length; i++)
        {
            if (region[i] > 0)
            {
                double ratio = best[i] / region[i];
                divergence += region[i] * (ratio - 1) * (ratio - 1);
            }
        }

        return divergence;
    }

    private static double NumericDivergence(object[] all, object[] best, bool log)
    {
        double[] x = [.. all.Select(v => Scale(Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture), log))];
        double[] b = [.. best.Select(v => Scale(Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture), log))];
        double min = x.Min();
        double max = x.Max();
        if (!(max > min))
        {
            return 0;
        }

        double[] grid = [.. Enumerable.Range(0, GridPoints).Select(i => min + ((max - min) * i / (GridPoints - 1)))];
        return Pearson(Density(x, grid, max - min), Density(b, grid, max - min));
    }

    private static double Scale(double value, bool log) => log && value > 0 ? Math.Log(value) : value;

    // A Gaussian kernel density on the grid, normalised to sum 1. Scott's bandwidth, never below a
    // grid step, so a handful of identical best values still spreads over its neighbourhood.
    private static double[] Density(double[] samples, double[] grid, double range)
    {
        double sd = samples.Length > 1 ? samples.PopulationStandardDeviation() : 0;
        double bandwidth = Math.Max(1.06 * sd * Math.Pow(samples.Length, -0.2), range / (GridPoints - 1));
        double[] density = new double[grid.Length];
        for (int g = 0; g < grid.Length; g++)
        {
            foreach (double sample in samples)
            {
                double z = (grid[g] - sample) / bandwidth;
                density[g] += Math.Exp(-0.5 * z * z);
            }
        }

        double sum = density.Sum();
        return sum > 0 ? [.. density.Select(d => d / sum)] : density;
    }

    private static double CategoricalDivergence(object[] all, object[] best)
    {
        string[] categories = [.. all.Select(Key).Distinct().Order(StringComparer.Ordinal)];
        if (categories.Length < 2)
        {
            return 0;
        }

        return Pearson(Frequencies(all, categories), Frequencies(best, categories));
    }

    // Add-half smoothing: a category no best trial took still has a little mass, as a Parzen prior gives it.
    private static double[] Frequencies(object[] values, string[] categories)
    {
        var counts = values.GroupBy(Key).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        double total = values.Length + (0.5 * categories.Length);
        return [.. categories.Select(c => (counts.GetValueOrDefault(c) + 0.5) / total)];
    }

    private static string Key(object value) => Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
}
