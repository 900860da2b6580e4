using System.Text.Json;
using System.Text.RegularExpressions;
using HParamsNet.Cli;
using HParamsNet.Reports.Rendering;
using HParamsNet.Tests.Common;
using HParamsNet.Tuning;

namespace HParamsNet.Reports.Tests;

public class StudyReportTests
{
    [Test]
    public async Task A_pruned_study_reads_with_its_states_values_curves_and_log_axis()
    {
        using var dir = new TempDirectory();
        var result = await Studies.PrunedAndFailedAsync(dir.Path);

        StudyReport report = StudyReport.Load([dir.Path], new ReportOptions { Space = [Studies.LearningRate, Studies.Units, Studies.Optimizer] });

        Assert.That(report.Objective, Is.EqualTo(Studies.Loss), "the tuner's objective is the first metric");
        Assert.That(report.Direction, Is.EqualTo(StudyDirection.Minimize), "guessed from 'loss'");
        ReportSource source = report.Sources.Single();
        Assert.That(source.Trials, Has.Count.EqualTo(40));
        Assert.That(source.Trials.Select(t => t.Number), Is.EqualTo(Enumerable.Range(1, 40)));
        Assert.That(source.States.Keys, Is.EquivalentTo(new[] { "complete", "pruned", "failed" }));
        Assert.That(source.States["complete"], Is.EqualTo(result.Trials.Count(t => t.State == Trials.TrialState.Complete)));
        Assert.That(source.States["pruned"], Is.EqualTo(result.Trials.Count(t => t.State == Trials.TrialState.Pruned)));
        Assert.That(source.Trials.Where(t => t.State == "pruned").Select(t => t.Curve.Count), Has.All.InRange(1, 5), "a pruned trial's curve stops early");
        Assert.That(source.Trials.Where(t => t.State == "complete").Select(t => t.Curve.Count), Has.All.GreaterThanOrEqualTo(6), "six reports (and the final value)");
        Assert.That(source.Best(report.Direction)!.Value, Is.EqualTo(result.BestScore).Within(1e-6), "the report's best is the tuner's (float32 on disk)");
        Assert.That(report.Axes.Select(a => (a.Name, a.Numeric, a.Log)), Is.EqualTo(new[] { ("lr", true, true), ("units", true, false), ("optimizer", false, false) }));
        Assert.That(report.Axes[2].Categories, Is.EqualTo(new[] { "adam", "rmsprop", "sgd" }));
        Assert.That(report.Importances[dir.Path], Is.Not.Empty);
    }

    [Test]
    public async Task A_study_with_two_objectives_reports_its_front_and_a_hypervolume_that_never_falls()
    {
        using var dir = new TempDirectory();
        StudyResult result = await Studies.SeveralObjectivesAsync(dir.Path);
        var options = new ReportOptions { Objectives = Studies.Objectives(2), Constraints = [Studies.OverBudget] };

        string html = StudyReport.Load([dir.Path], options).ToHtml();

        string json = Regex.Match(html, "<script type=\"application/json\" id=\"report-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        using JsonDocument data = JsonDocument.Parse(json);
        JsonElement source = data.RootElement.GetProperty("sources")[0];
        JsonElement front = source.GetProperty("front");
        int[] onFront = [.. front.GetProperty("front").EnumerateArray().Select(e => e.GetInt32())];
        double[] hypervolume = [.. front.GetProperty("hypervolume").EnumerateArray().Select(p => p[1].GetDouble())];
        Assert.That(onFront, Is.EqualTo(result.ParetoFront.Select(t => t.Number)), "the page's front is the study's");
        Assert.That(result.Trials.Any(t => !t.IsFeasible), Is.True, "the study tried infeasible trials");
        Assert.That(source.GetProperty("trials").EnumerateArray().Count(t => t.GetProperty("feasible").GetBoolean() == false), Is.EqualTo(result.Trials.Count(t => t.State == Trials.TrialState.Complete && !t.IsFeasible)));
        Assert.That(hypervolume, Is.Ordered, "the front only grows");
        Assert.That(hypervolume[^1], Is.Positive);
        double[] reference = [.. front.GetProperty("reference").EnumerateArray().Select(e => e.GetDouble())];
        double expected = Trials.Hypervolume.Of(result.ParetoFront.Select(t => t.Values.ToArray()), reference);
        Assert.That(hypervolume[^1], Is.EqualTo(expected).Within(1e-6 * expected), "the last point is the front's exact hypervolume (float32 values on disk)");
        Assert.That(data.RootElement.GetProperty("objectives").EnumerateArray().Select(o => o.GetProperty("metric").GetString()), Is.EqualTo(new[] { "error", "size" }));
    }

    [Test]
    public async Task A_one_objective_report_has_no_front()
    {
        using var dir = new TempDirectory();
        await Studies.CrossValidatedAsync(dir.Path);

        string html = StudyReport.Load([dir.Path]).ToHtml();

        string json = Regex.Match(html, "<script type=\"application/json\" id=\"report-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        using JsonDocument data = JsonDocument.Parse(json);
        Assert.That(data.RootElement.GetProperty("objectives").GetArrayLength(), Is.Zero);
        Assert.That(data.RootElement.GetProperty("sources")[0].TryGetProperty("front", out _), Is.False);
    }

    [Test]
    public async Task Without_the_space_a_log_axis_comes_from_the_values_and_says_why()
    {
        using var dir = new TempDirectory();
        await Studies.PrunedAndFailedAsync(dir.Path);

        HParamAxis lr = StudyReport.Load([dir.Path]).Axes.Single(a => a.Name == "lr");

        Assert.That(lr.Log, Is.True);
        Assert.That(lr.Why, Does.StartWith("values span"));
    }

    [Test]
    public async Task A_cross_validated_trial_shows_its_folds_mean_and_std()
    {
        using var dir = new TempDirectory();
        await Studies.CrossValidatedAsync(dir.Path);

        ReportTrial best = StudyReport.Load([dir.Path]).Sources.Single().Best(StudyDirection.Maximize)!;

        Assert.That(best.HParams["units"], Is.EqualTo(32L));
        Assert.That(best.Folds!.Select(f => f!.Value), Is.EqualTo(new[] { 1.1, 1.11, 1.12 }).Within(1e-6));
        Assert.That(best.Value, Is.EqualTo(1.11).Within(1e-6));
        Assert.That(best.Std, Is.EqualTo(Math.Sqrt(2.0 / 3) * 0.01).Within(1e-6));
    }

    [Test]
    public async Task The_page_is_one_file_with_no_outside_reference_and_data_that_cannot_close_its_script()
    {
        using var dir = new TempDirectory();
        await Studies.CrossValidatedAsync(dir.Path);
        var report = StudyReport.Load([dir.Path], new ReportOptions { Title = "</script><script>alert(1)</script>" });

        string html = report.ToHtml();

        Assert.That(Regex.Matches(html, "<script", RegexOptions.IgnoreCase), Has.Count.EqualTo(2), "the data and the code, nothing else");
        Assert.That(html, Does.Not.Match("(src|href)\\s*=\\s*[\"']?(https?:)?//"), "no CDN, no link to load");
        Assert.That(html, Does.Contain("&lt;/script&gt;&lt;script&gt;alert(1)"), "the title is HTML-encoded");
        string json = Regex.Match(html, "<script type=\"application/json\" id=\"report-data\">(.*?)</script>", RegexOptions.Singleline).Groups[1].Value;
        using JsonDocument data = JsonDocument.Parse(json);
        Assert.That(data.RootElement.GetProperty("title").GetString(), Is.EqualTo("</script><script>alert(1)</script>"), "the data keeps it, escaped");
        Assert.That(data.RootElement.GetProperty("sources")[0].GetProperty("trials").GetArrayLength(), Is.EqualTo(6));
        Assert.That(html, Does.Contain("Apache ECharts"));
    }

    [Test]
    public async Task Writing_never_overwrites_and_a_wrong_metric_is_named_with_those_there_are()
    {
        using var dir = new TempDirectory();
        await Studies.CrossValidatedAsync(dir.Combine("logs"));
        string path = dir.Combine("report.html");
        await File.WriteAllTextAsync(path, "mine");
        StudyReport report = StudyReport.Load([dir.Combine("logs")]);

        var refused = Assert.ThrowsAsync<IOException>(() => report.WriteAsync(path))!;

        Assert.That(refused.Message, Does.Contain("exists").And.Contain("nothing was overwritten"));
        Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo("mine"));
        var wrong = Assert.Throws<ArgumentException>(() => StudyReport.Load([dir.Combine("logs")], new ReportOptions { Objective = new Metric("acc") }))!;
        Assert.That(wrong.Message, Does.Contain("Metric 'acc' is not a metric of the sources; they have: accuracy"));
    }

    [Test]
    public async Task The_cli_writes_a_report_of_several_sources_and_prints_where()
    {
        using var dir = new TempDirectory();
        await Studies.PrunedAndFailedAsync(dir.Combine("a"), trials: 12);
        await Studies.PrunedAndFailedAsync(dir.Combine("b"), trials: 12);
        var output = new StringWriter();
        var error = new StringWriter();

        int exit = CliApp.Run(["report", dir.Combine("a"), dir.Combine("b"), "-o", dir.Combine("r.html"), "--metric", "validation/loss"], output, error);

        Assert.That(exit, Is.Zero, error.ToString());
        Assert.That(output.ToString(), Does.Contain("r.html").And.Contain("24 trials").And.Contain("validation/loss (minimised)"));
        string html = await File.ReadAllTextAsync(dir.Combine("r.html"));
        Assert.That(html, Does.Contain(JsonEncodedText.Encode(dir.Combine("a")).ToString()).And.Contain(JsonEncodedText.Encode(dir.Combine("b")).ToString()));
        Assert.That(CliApp.Run(["report", dir.Combine("a"), "-o", dir.Combine("r.html")], output, error), Is.EqualTo(2));
        Assert.That(error.ToString(), Does.Contain("exists"));
    }
}

public class TrialSamplingTests
{
    [Test]
    public void Curves_beyond_the_budget_keep_the_best_tenth_and_long_ones_are_thinned_to_500_points()
    {
        var trials = Enumerable.Range(1, 1000).Select(n => new ReportTrial(n, $"t{n}", "complete", n, null, null, new Dictionary<string, object>(), n, n, [[1, n]])).ToList();

        HashSet<int> chosen = TrialSampling.Choose(trials, 300, StudyDirection.Minimize);
        IReadOnlyList<double[]> thinned = TrialSampling.Thin([.. Enumerable.Range(0, 2001).Select(i => new double[] { i, i })]);

        Assert.That(chosen, Has.Count.EqualTo(300));
        Assert.That(Enumerable.Range(1, 30), Is.SubsetOf(chosen), "the 30 lowest values, minimising");
        Assert.That(TrialSampling.Choose(trials, 300, StudyDirection.Minimize), Is.EquivalentTo(chosen), "the same every time");
        Assert.That(thinned, Has.Count.EqualTo(500));
        Assert.That((thinned[0][0], thinned[^1][0]), Is.EqualTo((0.0, 2000.0)));
    }
}
