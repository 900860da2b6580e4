using Spectre.Console;

namespace HParamsNet.Cli.Rendering;

/// <summary>A Spectre console over a plain writer: no colours or escape codes, wide enough for tables.</summary>
internal static class Terminal
{
    public static IAnsiConsole Over(TextWriter output)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        // Redirected output has no width of its own; tables of many columns should not be squeezed.
        console.Profile.Width = Console.IsOutputRedirected || output != Console.Out ? 400 : Math.Max(Console.WindowWidth, 80);
        return console;
    }
}
