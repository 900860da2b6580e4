using PuppeteerSharp;

namespace HParamsNet.Reports.Tests;

/// <summary>
/// The system's Chromium (Debian's package), driven over the DevTools protocol by PuppeteerSharp.
/// Nothing is downloaded: without a browser the tests are ignored locally and fail in CI.
/// </summary>
internal static class Browser
{
    private static readonly string[] Candidates = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"];

    public static string? ExecutablePath =>
        Environment.GetEnvironmentVariable("HPARAMSNET_CHROMIUM") is { Length: > 0 } configured ? configured : Candidates.FirstOrDefault(File.Exists);

    public static async Task<IBrowser> LaunchAsync()
    {
        string? path = ExecutablePath;
        if (path is null)
        {
            const string Why = "No Chromium: install Debian's 'chromium' package (.ci/run does) or set HPARAMSNET_CHROMIUM to a Chrome or Chromium executable.";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                Assert.Fail(Why);
            }

            Assert.Ignore(Why);
            throw new InvalidOperationException(Why); // not reached: Ignore throws
        }

        return await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = path,
            Headless = true,
            // Root in a container has no user namespaces for the sandbox; the page is our own file.
            Args = ["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu"],
        });
    }

    /// <summary>Where screenshots go: TestResults/screenshots at the repository root (CI keeps TestResults).</summary>
    public static string ScreenshotDirectory()
    {
        string? dir = TestContext.CurrentContext.TestDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "HParamsNet.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        string target = Path.Combine(dir ?? TestContext.CurrentContext.WorkDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(target);
        return target;
    }
}
