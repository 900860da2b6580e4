using HParamsNet.Cli;

namespace HParamsNet.Cli.Tests;

/// <summary>Runs the tool in this process, as the tests' commands do, and gives a scratch directory.</summary>
internal static class CliRunner
{
    public static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = CliApp.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }

    public static string NewDirectory()
    {
        string dir = Path.Combine(Path.GetTempPath(), "hparamsnet-cli-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }
}
