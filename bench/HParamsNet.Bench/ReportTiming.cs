using System.Diagnostics;
using System.Globalization;
using HParamsNet.Reports;
using HParamsNet.Sessions;
using PuppeteerSharp;

namespace HParamsNet.Bench;

/// <summary>
/// The study report at scale: read a log directory (e.g. compare-data's 10,000 sessions), build
/// the page, and load it in the system's Chromium until every plot has drawn, three times.
/// </summary>
internal static class ReportTiming
{
    public static void Run(string[] args) => RunAsync(args).GetAwaiter().GetResult();

    private static async Task RunAsync(string[] args)
    {
        string dir = args.Length > 0 ? args[0] : throw new ArgumentException("Usage: report LOGDIR (e.g. what compare-data wrote)");
        string chromium = Environment.GetEnvironmentVariable("HPARAMSNET_CHROMIUM") is { Length: > 0 } set ? set : "/usr/bin/chromium";
        Console.WriteLine(MachineInfo.Describe());

        var clock = Stopwatch.StartNew();
        ComparisonTable table = ComparisonTable.Load([dir]);
        double readSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        StudyReport report = StudyReport.Create(table, new ReportOptions { Space = StudyReport.DeclaredSpace([dir]) });
        string html = report.ToHtml();
        double buildSeconds = clock.Elapsed.TotalSeconds;
        string path = Path.Combine(Path.GetTempPath(), $"hparamsnet-report-bench-{Guid.NewGuid():N}.html");
        await File.WriteAllTextAsync(path, html);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{table.Rows.Count} trials: read {readSeconds:F2} s, build {buildSeconds:F2} s, file {new FileInfo(path).Length / 1e6:F2} MB"));

        await using IBrowser browser = await Puppeteer.LaunchAsync(new LaunchOptions { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"] });
        var loads = new List<(double Load, double Script)>();
        for (int run = 0; run < 4; run++)
        {
            await using IPage page = await browser.NewPageAsync();
            await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
            var watch = Stopwatch.StartNew();
            await page.GoToAsync(new Uri(path).AbsoluteUri, new NavigationOptions { Timeout = 120_000 });
            await page.WaitForFunctionAsync("() => document.body.getAttribute('data-rendered') === 'true'", new WaitForFunctionOptions { Timeout = 120_000 });
            double load = watch.Elapsed.TotalMilliseconds;
            double script = await page.EvaluateExpressionAsync<double>("window.hparamsReport.renderMs");
            string phases = await page.EvaluateExpressionAsync<string>("(() => { const n = performance.getEntriesByType('navigation')[0]; return `parsed ${n.domInteractive.toFixed(0)} ms, load event ${n.loadEventEnd.toFixed(0)} ms`; })()");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  load {run + 1}{(run == 0 ? " (warm-up)" : string.Empty)}: {load:F0} ms to every plot drawn, of which the report's script {script:F0} ms ({phases})"));
            if (run > 0)
            {
                loads.Add((load, script));
            }
        }

        double Median(IEnumerable<double> values) => values.Order().ElementAt(loads.Count / 2);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"median of 3: load {Median(loads.Select(l => l.Load)):F0} ms, script {Median(loads.Select(l => l.Script)):F0} ms"));
        File.Delete(path);
    }
}
