using Spectre.Console;

namespace Voting.LoadTest;

/// <summary>Console output that stays plain when redirected, so logs and pasted results stay clean.</summary>
internal static class Out
{
    public static bool Plain => Console.IsOutputRedirected;

    /// <summary>Keeps Spectre from writing colour codes and cursor moves into a file or pipe.</summary>
    public static void Configure()
    {
        if (!Plain) return;
        AnsiConsole.Console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(Console.Out),
        });
    }

    public static void Line(string text)
    {
        if (Plain) Console.WriteLine(text);
        else AnsiConsole.MarkupLine(Markup.Escape(text));
    }

    public static void Warning(string text)
    {
        if (Plain) Console.WriteLine("warning: " + text);
        else AnsiConsole.MarkupLine("[yellow]warning:[/] " + Markup.Escape(text));
    }

    public static void Error(string text)
    {
        if (Plain) Console.Error.WriteLine("error: " + text);
        else AnsiConsole.MarkupLine("[red]error:[/] " + Markup.Escape(text));
    }
}
