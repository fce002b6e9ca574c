using System.Text;

namespace Voting.Server.Infrastructure;

/// <summary>
/// What the features have to say as the server starts (configuration that is missing, development
/// secrets to try the API with), written as one block once the server listens rather than a
/// warning per feature: a newcomer reads one list, an operator sees at once what is not set.
/// </summary>
public sealed class StartupNotes
{
    private readonly List<string> _warnings = [];
    private readonly List<(string Title, Func<string, string> Command)> _tryIt = [];

    public void Warn(string note)
    {
        lock (_warnings) _warnings.Add(note);
    }

    /// <summary>A ready command line for trying a feature, given the server's base URL.</summary>
    public void TryIt(string title, Func<string, string> command)
    {
        lock (_tryIt) _tryIt.Add((title, command));
    }

    public int WarningCount
    {
        get
        {
            lock (_warnings) return _warnings.Count;
        }
    }

    /// <summary>The warnings as one list, or null when there are none.</summary>
    public string? Warnings()
    {
        lock (_warnings) return _warnings.Count == 0 ? null : List(_warnings.Select(w => $"- {w}"));
    }

    /// <summary>The commands for the server at <paramref name="baseUrl"/>, or null when there are none.</summary>
    public string? TryItCommands(string baseUrl)
    {
        lock (_tryIt) return _tryIt.Count == 0 ? null : List(_tryIt.Select(t => $"# {t.Title}{Environment.NewLine}{t.Command(baseUrl)}"));
    }

    private static string List(IEnumerable<string> items)
    {
        var text = new StringBuilder();
        foreach (var item in items) text.Append(Environment.NewLine).Append(item);
        return text.ToString();
    }
}
