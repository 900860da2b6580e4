using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using PuppeteerSharp;

namespace HParamsNet.Reports.Tests;

/// <summary>
/// The documentation site (docs/docfx.json) as a reader gets it: served over HTTP, opened in
/// headless Chromium with no console error, and with an API page for every public type the
/// packages declare (their PublicAPI files, which the analyzers keep exact).
/// </summary>
[Category("Integration")]
public partial class DocsSiteTests
{
    private static readonly string Root = RepositoryRoot();
    private static readonly string Site = Path.Combine(Root, "docs", "_site");

    [OneTimeSetUp]
    public void BuildTheSiteWhenMissing()
    {
        // CI builds the site before the tests (.ci/run, warnings as errors); a local run builds it here.
        if (File.Exists(Path.Combine(Site, "index.html")))
        {
            return;
        }

        Run("dotnet", "tool restore");
        Run("dotnet", "docfx docs/docfx.json --warningsAsErrors");
    }

    [TestCase("index.html", "site-home.png", "HParamsNet")]
    [TestCase("api/HParamsNet.Summaries.SummaryWriter.html", "site-api-summarywriter.png", "SummaryWriter")]
    public async Task A_page_opens_with_no_console_error(string page, string screenshot, string heading)
    {
        using var server = new StaticSite(Site);
        await using IBrowser browser = await Browser.LaunchAsync();

        Opened opened = await OpenAsync(browser, server, page, screenshot);

        Assert.That(opened.Errors, Is.Empty, opened.Details);
        Assert.That(opened.Elsewhere, Is.Empty, "everything comes from the site itself: it opens offline");
        Assert.That(opened.Title, Does.Contain(heading));
        Assert.That(opened.Links, Is.GreaterThan(3), "the table of contents is drawn");
    }

    [Test]
    public async Task Every_guide_opens_with_no_console_error()
    {
        var pages = Directory.EnumerateFiles(Site, "*.html", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Site, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Where(f => !f.StartsWith("api/", StringComparison.Ordinal) && Path.GetFileName(f) != "toc.html")
            .Order(StringComparer.Ordinal)
            .ToList();
        using var server = new StaticSite(Site);
        await using IBrowser browser = await Browser.LaunchAsync();

        var failures = new List<string>();
        foreach (string page in pages)
        {
            Opened opened = await OpenAsync(browser, server, page, screenshot: null);
            failures.AddRange(opened.Errors.Concat(opened.Elsewhere).Select(e => $"{page}: {e} {opened.Details}"));
            if (opened.Title.Length == 0)
            {
                failures.Add($"{page}: no heading");
            }
        }

        Assert.That(pages, Has.Count.GreaterThanOrEqualTo(17), "home, changelog, every guide, reliability, performance, architecture, design notes");
        Assert.That(pages, Has.Member("guides/getting-started.html").And.Member("benchmarks.html").And.Member("architecture.html"));
        Assert.That(failures, Is.Empty);
    }

    private static async Task<Opened> OpenAsync(IBrowser browser, StaticSite server, string page, string? screenshot)
    {
        await using IPage tab = await browser.NewPageAsync();
        await tab.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        var errors = new List<string>();
        var details = new List<Task<string>>();
        var elsewhere = new List<string>();
        tab.Console += (_, e) =>
        {
            if (e.Message.Type == ConsoleType.Error)
            {
                errors.Add($"console: {e.Message.Text}");
                details.Add(Describe(e.Message));
            }
        };
        tab.PageError += (_, e) => errors.Add($"page: {e.Message}");
        tab.RequestFailed += (_, e) => errors.Add($"request failed: {e.Request.Url}");
        tab.Response += (_, e) =>
        {
            if ((int)e.Response.Status >= 400)
            {
                errors.Add($"HTTP {(int)e.Response.Status}: {e.Response.Url}");
            }
        };
        tab.Request += (_, e) =>
        {
            if (!e.Request.Url.StartsWith(server.Url, StringComparison.Ordinal) && !e.Request.Url.StartsWith("data:", StringComparison.Ordinal))
            {
                elsewhere.Add(e.Request.Url);
            }
        };

        await tab.GoToAsync(server.Url + page, new NavigationOptions { WaitUntil = [WaitUntilNavigation.Networkidle0], Timeout = 60_000 });
        string title = await tab.EvaluateExpressionAsync<string>("document.querySelector('article h1, h1')?.textContent ?? ''");
        int links = await tab.EvaluateExpressionAsync<int>("document.querySelectorAll('#toc a, nav a').length");
        if (screenshot is not null)
        {
            await tab.ScreenshotAsync(Path.Combine(Browser.ScreenshotDirectory(), screenshot));
        }

        return new Opened(errors, elsewhere, title, links, string.Join("\n", await Task.WhenAll(details)));
    }

    private sealed record Opened(IReadOnlyList<string> Errors, IReadOnlyList<string> Elsewhere, string Title, int Links, string Details);

    // A console error's arguments are handles to page objects: their text, for the failure message.
    private static async Task<string> Describe(ConsoleMessage message)
    {
        var parts = new List<string>();
        foreach (IJSHandle argument in message.Args ?? [])
        {
            parts.Add(await argument.EvaluateFunctionAsync<string>("a => a instanceof Error ? a.stack : String(a && a.message || JSON.stringify(a))"));
        }

        return string.Join(" ", parts);
    }

    [Test]
    public void Every_public_type_of_every_package_has_an_api_page()
    {
        var documented = XrefUid().Matches(File.ReadAllText(Path.Combine(Site, "xrefmap.yml"))).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);
        var types = Directory.EnumerateFiles(Path.Combine(Root, "src"), "PublicAPI.*.txt", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .SelectMany(File.ReadLines)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#') && !line.Contains('(', StringComparison.Ordinal) && !line.Contains("->", StringComparison.Ordinal) && !line.Contains(' ', StringComparison.Ordinal))
            .Select(ToUid)
            .Distinct()
            .ToList();

        Assert.That(types, Has.Count.GreaterThan(150), "the PublicAPI files were read");
        Assert.That(types.Where(t => !documented.Contains(t)), Is.Empty);
        Assert.That(File.Exists(Path.Combine(Site, "api", "HParamsNet.Storage.PostgresStudyStorage.html")), "a page per type");
    }

    // PublicAPI's "A.B<T>" is docfx's "A.B`1".
    private static string ToUid(string type) =>
        GenericArguments().Replace(type.TrimStart('~'), m => "`" + (m.Value.Count(c => c == ',') + 1));

    [GeneratedRegex(@"^- uid: (\S+)$", RegexOptions.Multiline)]
    private static partial Regex XrefUid();

    [GeneratedRegex(@"<[^<>]+>")]
    private static partial Regex GenericArguments();

    private static void Run(string file, string arguments)
    {
        var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = Root, RedirectStandardOutput = true, RedirectStandardError = true };
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        Assert.That(process.ExitCode, Is.Zero, $"{file} {arguments}:\n{output.Result}\n{error.Result}");
    }

    private static string RepositoryRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "HParamsNet.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new InvalidOperationException("The tests run inside the repository (HParamsNet.sln not found above them).");
    }

    /// <summary>The built site over HTTP on 127.0.0.1 (the template fetches its table of contents and search index, which file:// forbids).</summary>
    private sealed class StaticSite : IDisposable
    {
        private static readonly Dictionary<string, string> Types = new(StringComparer.OrdinalIgnoreCase)
        {
            [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript", [".css"] = "text/css", [".json"] = "application/json",
            [".svg"] = "image/svg+xml", [".png"] = "image/png", [".ico"] = "image/x-icon", [".woff2"] = "font/woff2", [".woff"] = "font/woff",
            [".yml"] = "text/yaml", [".map"] = "application/json", [".txt"] = "text/plain",
        };

        private readonly HttpListener _listener = new();
        private readonly string _root;
        private readonly Task _serving;

        public StaticSite(string root)
        {
            _root = root;
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/";
            }

            _listener.Prefixes.Add(Url);
            _listener.Start();
            _serving = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public void Dispose()
        {
            _listener.Close();
            try
            {
                _serving.Wait(TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
                // the listener was closed under a pending GetContextAsync
            }
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                string path = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath);

                string file = Path.GetFullPath(Path.Combine(_root, path.TrimStart('/')));
                if (Directory.Exists(file))
                {
                    file = Path.Combine(file, "index.html");
                }

                if (!file.StartsWith(_root, StringComparison.Ordinal) || !File.Exists(file))
                {
                    context.Response.StatusCode = 404;
                    context.Response.Close();
                    continue;
                }

                context.Response.ContentType = Types.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream");
                byte[] body = await File.ReadAllBytesAsync(file);
                await context.Response.OutputStream.WriteAsync(body);
                context.Response.Close();
            }
        }
    }
}
