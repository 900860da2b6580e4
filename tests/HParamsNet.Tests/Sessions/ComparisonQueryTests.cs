using HParamsNet;
using HParamsNet.Sessions;
using HParamsNet.Tests.Support;

namespace HParamsNet.Tests.Sessions;

/// <summary>Filtering, ranking and choosing the best of a comparison in the core, on TensorBoard's own cross-validation files.</summary>
public class ComparisonQueryTests
{
    private static readonly Metric Accuracy = new("accuracy");

    private static ComparisonTable Table() => ComparisonTable.Load([Golden.LogDir("cv_groups")]);

    [Test]
    public void Rows_are_filtered_by_hparam_values_ranked_by_a_metric_and_cut_to_the_top()
    {
        ComparisonTable table = Table();

        IReadOnlyList<ComparisonRow> best = table.Select(new ComparisonQuery { RankBy = Accuracy, Direction = StudyDirection.Maximize });
        IReadOnlyList<ComparisonRow> worst = table.Select(new ComparisonQuery { RankBy = Accuracy, Direction = StudyDirection.Minimize, Top = 2 });
        IReadOnlyList<ComparisonRow> depth2 = table.Select(new ComparisonQuery { Where = new Dictionary<string, object> { ["depth"] = 2 }, RankBy = Accuracy });

        Assert.That(best.Select(r => r.Name), Is.EqualTo(new[] { "cfg2", "cfg1", "cfg0", "cfg3" }));
        Assert.That(worst.Select(r => r.Name), Is.EqualTo(new[] { "cfg3", "cfg0" }));
        Assert.That(depth2.Select(r => r.Name), Is.EqualTo(new[] { "cfg2", "cfg0" }), "2 matches the 2.0 TensorBoard stored");
        Assert.That(table.Best(Accuracy, StudyDirection.Maximize)!.Name, Is.EqualTo("cfg2"));
        Assert.That(table.Best(Accuracy, StudyDirection.Maximize, new Dictionary<string, object> { ["lr"] = 0.01 })!.Name, Is.EqualTo("cfg1"));
        Assert.That(table.ParseHParamValue("lr", "0.1"), Is.EqualTo(0.1));
        Assert.That(table.Select(new ComparisonQuery { Where = new Dictionary<string, object> { ["lr"] = table.ParseHParamValue("lr", "0.1") } }).Select(r => r.Name), Is.EquivalentTo(new[] { "cfg2", "cfg3" }));
    }

    [Test]
    public void An_unknown_hparam_or_metric_is_named_with_those_the_table_has()
    {
        ComparisonTable table = Table();

        var hparam = Assert.Throws<ArgumentException>(() => table.Select(new ComparisonQuery { Where = new Dictionary<string, object> { ["units"] = 8 } }))!;
        var metric = Assert.Throws<ArgumentException>(() => table.Best(new Metric("loss"), StudyDirection.Minimize))!;

        Assert.That(hparam.Message, Does.StartWith("No session has hparam 'units'; hparams: lr, depth."));
        Assert.That(metric.Message, Does.StartWith("Metric 'loss' is not in the table; metrics: accuracy."));
    }
}
