using Spectre.Console;

namespace Cluster.Client.Terminal;

/// <summary>
/// A Spectre console over a command's output: colours, rounded tables and spinners on a
/// terminal; plain ASCII with no escape codes and no animation when the output is redirected or
/// captured (a pipe, a file, a test), so scripts and greps read it as text.
/// </summary>
internal sealed class TerminalConsole
{
    // Wide enough that a stage row (keys, silo names, page counts) is not wrapped in a log file.
    private const int RedirectedWidth = 200;

    private TerminalConsole(IAnsiConsole console, bool interactive)
    {
        Console = console;
        Interactive = interactive;
    }

    public IAnsiConsole Console { get; }

    /// <summary>A real terminal: tables get colour and borders, waits get a spinner.</summary>
    public bool Interactive { get; }

    public TableBorder Border => Interactive ? TableBorder.Rounded : TableBorder.Ascii;

    public static TerminalConsole For(TextWriter output)
    {
        bool interactive = ReferenceEquals(output, System.Console.Out) && !System.Console.IsOutputRedirected;
        if (interactive)
            return new TerminalConsole(AnsiConsole.Console, interactive: true);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = RedirectedWidth;
        return new TerminalConsole(console, interactive: false);
    }
}
