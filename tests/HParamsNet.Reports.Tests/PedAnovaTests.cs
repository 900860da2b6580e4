using FsCheck;
using FsCheck.Fluent;
using HParamsNet.Reports.Importance;

namespace HParamsNet.Reports.Tests;

public class PedAnovaTests
{
    /// <summary>
    /// f = 10 x1² + x2² + 0 x3 over [-1, 1]³: the best tenth pins x1 near 0, x2 loosely, x3 not
    /// at all. Whatever the sample, the order must come out x1, x2, x3, the shares summing to 1.
    /// </summary>
    [FsCheck.NUnit.Property(MaxTest = 25)]
    public Property Importances_order_hparams_by_their_known_effect(int seed)
    {
        var random = new Random(seed);
        var configurations = new List<IReadOnlyDictionary<string, object>>();
        var values = new List<double>();
        for (int i = 0; i < 500; i++)
        {
            double x1 = (random.NextDouble() * 2) - 1, x2 = (random.NextDouble() * 2) - 1, x3 = (random.NextDouble() * 2) - 1;
            configurations.Add(new Dictionary<string, object> { ["x1"] = x1, ["x2"] = x2, ["x3"] = x3 });
            values.Add((10 * x1 * x1) + (x2 * x2));
        }

        IReadOnlyList<HParamImportance> importances = PedAnova.Evaluate(configurations, values, StudyDirection.Minimize);
        return (importances.Select(i => i.Name).SequenceEqual(["x1", "x2", "x3"]) && Math.Abs(importances.Sum(i => i.Importance) - 1) < 1e-9)
            .Label(string.Join(", ", importances.Select(i => $"{i.Name}={i.Importance:F3}")));
    }

    [Test]
    public void A_category_that_decides_the_best_trials_comes_first_and_one_that_does_not_last()
    {
        var random = new Random(9);
        string[] optimizers = ["adam", "rmsprop", "sgd"];
        var configurations = Enumerable.Range(0, 300).Select(_ => (IReadOnlyDictionary<string, object>)new Dictionary<string, object>
        {
            ["optimizer"] = optimizers[random.Next(3)],
            ["seed_label"] = optimizers[random.Next(3)],
            ["x"] = random.NextDouble(),
        }).ToList();
        var values = configurations.Select(c => ((string)c["optimizer"] == "adam" ? 0 : 1) + (0.3 * (double)c["x"])).ToList();

        string[] order = [.. PedAnova.Evaluate(configurations, values, StudyDirection.Minimize).Select(i => i.Name)];

        Assert.That(order, Is.EqualTo(new[] { "optimizer", "x", "seed_label" }));
    }

    [Test]
    public void Maximising_ranks_by_the_largest_values()
    {
        var random = new Random(3);
        var configurations = Enumerable.Range(0, 200).Select(_ => (IReadOnlyDictionary<string, object>)new Dictionary<string, object> { ["lr"] = Math.Pow(10, -4 + (3 * random.NextDouble())), ["noise"] = random.NextDouble() }).ToList();
        var values = configurations.Select(c => -Math.Abs(Math.Log10((double)c["lr"]) + 2.5)).ToList();

        IReadOnlyList<HParamImportance> importances = PedAnova.Evaluate(configurations, values, StudyDirection.Maximize, new HashSet<string> { "lr" });

        Assert.That(importances[0].Name, Is.EqualTo("lr"));
        Assert.That(importances[0].Importance, Is.GreaterThan(0.8));
    }

    [Test]
    public void Too_few_trials_give_no_importances_and_bad_input_is_named()
    {
        var one = new Dictionary<string, object> { ["x"] = 1.0 };
        Assert.That(PedAnova.Evaluate([one, one, one, one], [1, 2, 3, 4], StudyDirection.Minimize), Is.Empty);
        Assert.That(() => PedAnova.Evaluate([one], [1, 2], StudyDirection.Minimize), Throws.ArgumentException.With.Message.Contains("1 configurations but 2 values"));
        Assert.That(() => PedAnova.Evaluate([one], [1], StudyDirection.Minimize, topQuantile: 1), Throws.ArgumentException.With.Message.Contains("topQuantile 1"));
    }
}
