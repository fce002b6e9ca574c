using System.Collections.Concurrent;

namespace Voting.Browser.Tests.Infrastructure;

/// <summary>
/// Everything a page reports as an error: console.error calls, failed loads the browser logs
/// (a 404 or a refused connection shows up here too) and uncaught exceptions.
/// </summary>
public sealed class ConsoleErrors
{
    private readonly ConcurrentQueue<string> _errors = new();

    private ConsoleErrors(IPage page)
    {
        page.Console += (_, message) =>
        {
            if (message.Type == "error") _errors.Enqueue($"console: {message.Text} ({message.Location})");
        };
        page.PageError += (_, error) => _errors.Enqueue($"uncaught: {error}");
    }

    public static ConsoleErrors Watch(IPage page) => new(page);

    public void AssertNone() =>
        Assert.True(_errors.IsEmpty, "the page reported errors:\n" + string.Join("\n", _errors));
}
