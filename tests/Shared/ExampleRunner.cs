using System.Diagnostics;

namespace HParamsNet.Tests.Common;

/// <summary>Runs one of <c>examples/</c> as a user runs it: its built dll in a child process, within four minutes.</summary>
internal static class ExampleRunner
{
    /// <summary>Runs the example and returns what it printed; fails the test when it exits non-zero.</summary>
    /// <param name="example">The example's directory and assembly name (e.g. <c>QuickStart</c>).</param>
    /// <param name="args">Its arguments.</param>
    public static async Task<string> RunAsync(string example, params string[] args)
    {
        string configuration = new DirectoryInfo(TestContext.CurrentContext.TestDirectory).Parent!.Name;
        string root = TestContext.CurrentContext.TestDirectory;
        while (!File.Exists(Path.Combine(root, "HParamsNet.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        string dll = Path.Combine(root, "examples", example, "bin", configuration, "net10.0", $"{example}.dll");
        Assert.That(File.Exists(dll), Is.True, $"{dll}: build the solution (dotnet build -c {configuration}) first");
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        await process.WaitForExitAsync(timeout.Token);
        Assert.That(process.ExitCode, Is.Zero, $"{example} failed: {await error}\n{await output}");
        return await output;
    }
}
