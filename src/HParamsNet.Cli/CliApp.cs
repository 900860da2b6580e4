using System.CommandLine;
using HParamsNet.Cli.Commands;

namespace HParamsNet.Cli;

/// <summary>The <c>hparams</c> command: its subcommands, run against the given output streams.</summary>
public static class CliApp
{
    /// <summary>Parses <paramref name="args"/> and runs the command; returns the exit code.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="output">Where results go.</param>
    /// <param name="error">Where messages about bad input go.</param>
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        var context = new CliContext(output, error);
        var root = new RootCommand("List, compare, export and validate TensorBoard HParams log directories (written by HParamsNet or by TensorFlow).")
        {
            Subcommands =
            {
                LsCommand.Create(context),
                CompareCommand.Create(context),
                BestCommand.Create(context),
                ExportCommand.Create(context),
                ValidateCommand.Create(context),
            },
        };
        return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
    }
}

/// <summary>What every command writes to.</summary>
/// <param name="Output">Results.</param>
/// <param name="Error">Messages about bad input.</param>
public sealed record CliContext(TextWriter Output, TextWriter Error);
