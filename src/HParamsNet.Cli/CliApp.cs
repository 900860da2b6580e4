using System.CommandLine;
using System.CommandLine.Parsing;
using HParamsNet.Cli.Commands;
using HParamsNet.Events;

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
        var root = new RootCommand("List, compare, export and validate TensorBoard HParams log directories (written by HParamsNet or by TensorFlow), or the studies of a storage (sqlite:///..., postgresql://...).")
        {
            Subcommands =
            {
                LsCommand.Create(context),
                CompareCommand.Create(context),
                BestCommand.Create(context),
                ExportCommand.Create(context),
                ValidateCommand.Create(context),
                RebuildCommand.Create(context),
                ReportCommand.Create(context),
            },
        };
        ParseResult parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (ParseError problem in parse.Errors)
            {
                error.WriteLine($"hparams: {problem.Message}");
            }

            string usage = parse.CommandResult.Command is RootCommand ? "hparams --help" : $"hparams {parse.CommandResult.Command.Name} --help";
            error.WriteLine($"See '{usage}' for what it takes.");
            return Commands.LogDirArguments.BadInput;
        }

        try
        {
            return parse.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CorruptEventFileException)
        {
            // The file system said no while reading or writing: a message, not a stack trace.
            error.WriteLine($"hparams: {e.Message}");
            return Commands.LogDirArguments.BadInput;
        }
    }
}

/// <summary>What every command writes to.</summary>
/// <param name="Output">Results.</param>
/// <param name="Error">Messages about bad input.</param>
public sealed record CliContext(TextWriter Output, TextWriter Error);
