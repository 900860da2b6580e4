using System.Diagnostics;
using HParamsNet.Tests.Common;
using PuppeteerSharp;

namespace HParamsNet.Reports.Tests;

/// <summary>Reports opened in a real browser: no console error, no failed request, every plot drawn.</summary>
[Category(TestCategories.Integration)]
public class ReportInBrowserTests
{
    // Counts, per chart element, the series points ECharts holds and the canvases it drew.
    private const string DrawnCharts = """
        Array.from(document.querySelectorAll('[data-chart]')).map(el => {
          const chart = echarts.getInstanceByDom(el);
          const series = chart ? chart.getOption().series : [];
          return { id: el.id, canvases: el.querySelectorAll('canvas').length,
                   points: series.reduce((n, s) => n + (s.data ? s.data.length : 0), 0) };
        })
        """;

    [Test]
    public async Task A_tuner_study_report_loads_clean_and_draws_every_plot()
    {
        using var dir = new TempDirectory();
        await Studies.PrunedAndFailedAsync(dir.Combine("pruned"));
        await Studies.CrossValidatedAsync(dir.Combine("cv"));
        string path = dir.Combine("study.html");
        await StudyReport.Load([dir.Combine("pruned")], new ReportOptions { Title = "Pruned study", Strategy = "RandomSearch", Space = [Studies.LearningRate, Studies.Units, Studies.Optimizer] }).WriteAsync(path);

        Loaded page = await OpenAsync(path, "tuner-study.png");

        Assert.That(page.Errors, Is.Empty);
        Assert.That(page.Charts.Select(c => c.Id), Is.SupersetOf(new[] { "history", "importance", "parallel", "curves", "slice-0", "slice-1", "slice-2" }));
        Assert.That(page.Charts.Where(c => c.Canvases == 0 || c.Points == 0).Select(c => c.Id), Is.Empty, "every plot drew data");
        Assert.That(page.TableRows, Is.EqualTo(40));
    }

    [Test]
    public async Task A_report_of_several_objectives_draws_the_front_and_the_hypervolume([Values(2, 3)] int objectives)
    {
        using var dir = new TempDirectory();
        await Studies.SeveralObjectivesAsync(dir.Combine("study"), objectives);
        string path = dir.Combine("front.html");

        // What `hparams report` does: the objectives come from the study's record.
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = HParamsNet.Cli.CliApp.Run(["report", dir.Combine("study"), "-o", path], output, error);
        Assert.That((exit, error.ToString()), Is.EqualTo((0, string.Empty)));

        Loaded page = await OpenAsync(path, $"front-{objectives}.png");
        int grids = await OpenGridsAsync(path);

        Assert.That(page.Errors, Is.Empty);
        Assert.That(page.Charts.Select(c => c.Id), Is.SupersetOf(new[] { "front", "hypervolume" }));
        Assert.That(page.Charts.Where(c => c.Canvases == 0 || c.Points == 0).Select(c => c.Id), Is.Empty, "every plot drew data");
        Assert.That(grids, Is.EqualTo(objectives == 2 ? 1 : 3), "a scatter for two objectives, every pair for three");
        Assert.That(page.Notes, Does.Contain("Infeasible trials (a constraint above 0: over_budget)"));
    }

    private static async Task<int> OpenGridsAsync(string path)
    {
        await using IBrowser browser = await Browser.LaunchAsync();
        await using IPage page = await browser.NewPageAsync();
        await page.GoToAsync(new Uri(path).AbsoluteUri, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 60_000 });
        await page.WaitForFunctionAsync("() => document.body.getAttribute('data-rendered') === 'true'", new WaitForFunctionOptions { Timeout = 60_000 });
        return await page.EvaluateExpressionAsync<int>("echarts.getInstanceByDom(document.getElementById('front')).getOption().grid.length");
    }

    [Test]
    public async Task The_quickstart_report_loads_clean_and_draws_every_plot()
    {
        using var dir = new TempDirectory();
        string logDir = dir.Combine("hparam_tuning");
        string printed = await RunQuickStartAsync(logDir);
        string path = dir.Combine("quickstart.html");
        await StudyReport.Load([logDir], new ReportOptions { Title = "QuickStart: TensorBoard's HParams tutorial, tuned in C#", Strategy = "GridSearch" }).WriteAsync(path);

        Loaded page = await OpenAsync(path, "quickstart.png");

        Assert.That(printed, Does.Contain("report " + Path.GetRelativePath(Environment.CurrentDirectory, logDir)), "the example prints the command that builds its report");
        Assert.That(page.Errors, Is.Empty);
        Assert.That(page.Charts.Where(c => c.Canvases == 0 || c.Points == 0).Select(c => c.Id), Is.Empty, "every plot drew data");
        Assert.That(page.TableRows, Is.EqualTo(8));
    }

    [Test]
    public async Task The_importance_order_on_a_synthetic_study_is_right_on_the_page()
    {
        var random = new Random(11);
        var trials = Enumerable.Range(1, 300).Select(n =>
        {
            double x1 = (random.NextDouble() * 2) - 1, x2 = (random.NextDouble() * 2) - 1, x3 = (random.NextDouble() * 2) - 1;
            return new ReportTrial(n, $"trial-{n:D4}", "complete", (10 * x1 * x1) + (x2 * x2), null, null,
                new Dictionary<string, object> { ["x1"] = x1, ["x2"] = x2, ["x3"] = x3 }, n, n + 1, []);
        }).ToList();
        StudyReport report = StudyReport.Assemble([("synthetic", trials)], ["x1", "x2", "x3"], new Metric("loss"), StudyDirection.Minimize, new ReportOptions());
        using var dir = new TempDirectory();
        string path = dir.Combine("synthetic.html");
        await report.WriteAsync(path);

        Loaded page = await OpenAsync(path, "synthetic-importance.png");

        Assert.That(page.Errors, Is.Empty);
        Assert.That(page.ImportanceOrder, Is.EqualTo(new[] { "x1", "x2", "x3" }), "largest first, as the bars are drawn top to bottom");
    }

    [Test]
    public async Task A_10000_trial_report_stays_small_and_draws_with_sampling_said_on_the_page()
    {
        StudyReport report = Large(10_000);
        using var dir = new TempDirectory();
        string path = dir.Combine("large.html");
        await report.WriteAsync(path);

        Loaded page = await OpenAsync(path, "10000-trials.png");

        Assert.That(new FileInfo(path).Length, Is.LessThan(15_000_000));
        Assert.That(page.Errors, Is.Empty);
        Assert.That(page.Charts.Where(c => c.Canvases == 0 || c.Points == 0).Select(c => c.Id), Is.Empty);
        Assert.That(page.Charts.Single(c => c.Id == "parallel").Points, Is.EqualTo(2000));
        int completed = report.Sources[0].Trials.Count(t => t.State == "complete");
        Assert.That(page.Notes, Does.Contain($"2000 of {completed} drawn").And.Contain("300 of 10000 trials drawn"));
        Assert.That(page.TableRows, Is.EqualTo(500), "a page of rows; laying out 10,000 takes the browser seconds");
        Assert.That(page.Notes, Does.Contain("10000 trials (the first 500 shown"));
        TestContext.Out.WriteLine($"10,000 trials: {new FileInfo(path).Length / 1e6:F1} MB, load {page.LoadMs:F0} ms, script {page.RenderMs:F0} ms");
    }

    /// <summary>A synthetic study of <paramref name="count"/> trials with curves, as the benchmark builds it.</summary>
    internal static StudyReport Large(int count)
    {
        var random = new Random(5);
        string[] optimizers = ["adam", "rmsprop", "sgd"];
        var trials = Enumerable.Range(1, count).Select(n =>
        {
            double lr = Math.Pow(10, -4 + (3 * random.NextDouble()));
            long units = random.NextInt64(8, 129);
            string optimizer = optimizers[random.Next(3)];
            double floor = Math.Pow(Math.Log10(lr) + 2.5, 2) + (64.0 / units);
            int steps = random.Next(10) == 0 ? 3 : 10;
            double[][] curve = [.. Enumerable.Range(1, steps).Select(s => new[] { s, floor + (3.0 / s) })];
            return new ReportTrial(n, $"trial-{n:D5}", steps == 3 ? "pruned" : "complete", steps == 3 ? null : curve[^1][1], null, null,
                new Dictionary<string, object> { ["lr"] = lr, ["units"] = units, ["optimizer"] = optimizer }, 1_700_000_000 + (n * 30), 1_700_000_000 + (n * 30) + 29, curve);
        }).ToList();
        return StudyReport.Assemble([("large", trials)], ["lr", "units", "optimizer"], new Metric("loss"), StudyDirection.Minimize, new ReportOptions { Title = $"{count} trials" });
    }

    // The example as built beside this test assembly (same configuration), training for real.
    private static Task<string> RunQuickStartAsync(string logDir) => ExampleRunner.RunAsync("QuickStart", logDir);

    private static async Task<Loaded> OpenAsync(string path, string screenshot)
    {
        await using IBrowser browser = await Browser.LaunchAsync();
        await using IPage page = await browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        var errors = new List<string>();
        page.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                errors.Add($"console: {e.Message.Text}");
            }
        };
        page.PageError += (_, e) => errors.Add($"page: {e.Message}");
        page.RequestFailed += (_, e) => errors.Add($"request failed: {e.Request.Url}");
        var clock = Stopwatch.StartNew();
        await page.GoToAsync(new Uri(path).AbsoluteUri, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Load], Timeout = 60_000 });
        await page.WaitForFunctionAsync("() => document.body.getAttribute('data-rendered') === 'true'", new WaitForFunctionOptions { Timeout = 60_000 });
        double loadMs = clock.Elapsed.TotalMilliseconds;
        ChartState[] charts = await page.EvaluateExpressionAsync<ChartState[]>(DrawnCharts);
        string[] order = await page.EvaluateExpressionAsync<string[]>("echarts.getInstanceByDom(document.getElementById('importance')).getOption().yAxis[0].data.slice().reverse()");
        string notes = await page.EvaluateExpressionAsync<string>("Array.from(document.querySelectorAll('.note')).map(n => n.textContent).join(' | ')");
        int rows = await page.EvaluateExpressionAsync<int>("document.querySelectorAll('#trials tbody tr').length");
        double renderMs = await page.EvaluateExpressionAsync<double>("window.hparamsReport.renderMs");
        string shot = Path.Combine(Browser.ScreenshotDirectory(), screenshot);
        await page.ScreenshotAsync(shot, new ScreenshotOptions { FullPage = true });
        TestContext.AddTestAttachment(shot);
        return new Loaded(errors, charts, order, notes, rows, loadMs, renderMs);
    }

    internal sealed record ChartState(string Id, int Canvases, int Points);

    private sealed record Loaded(IReadOnlyList<string> Errors, IReadOnlyList<ChartState> Charts, IReadOnlyList<string> ImportanceOrder, string Notes, int TableRows, double LoadMs, double RenderMs);
}
