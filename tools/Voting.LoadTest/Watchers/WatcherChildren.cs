using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;

namespace Voting.LoadTest.Watchers;

/// <summary>The watcher processes, as the parent sees them: their latest status and, at the end, their figures.</summary>
internal sealed class WatcherChildren : IAsyncDisposable
{
    private readonly List<Child> _children = [];

    public int Requested => _children.Sum(c => c.Options.Count);
    public int Connected => _children.Sum(c => c.Status?.Connected ?? 0);
    public int Failed => _children.Sum(c => c.Status?.Failed ?? 0);
    public int Dropped => _children.Sum(c => c.Status?.Dropped ?? 0);
    public long Messages => _children.Sum(c => c.Status?.Messages ?? 0);
    public int Exited => _children.Count(c => c.Process.HasExited);

    public static WatcherChildren Start(IEnumerable<ChildOptions> plans)
    {
        var children = new WatcherChildren();
        foreach (var plan in plans) children._children.Add(Child.Start(plan));
        return children;
    }

    public async Task MeasureAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"measure {from.ToUnixTimeMilliseconds()} {to.ToUnixTimeMilliseconds()}");
        foreach (var child in _children) await child.SendAsync(line);
    }

    /// <summary>Tells every child to stop and waits for its figures (null for a child that died), beside what it was asked to do.</summary>
    public async Task<IReadOnlyList<ChildOutcome>> StopAsync(TimeSpan timeout)
    {
        foreach (var child in _children) await child.SendAsync("stop");
        var results = await Task.WhenAll(_children.Select(c => c.ResultAsync(timeout)));
        return [.. _children.Select((c, i) => new ChildOutcome(c.Options, results[i]))];
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var child in _children) await child.DisposeAsync();
    }

    private sealed class Child : IAsyncDisposable
    {
        private readonly TaskCompletionSource<ChildResult?> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private volatile ChildStatus? _status;

        private Child(ChildOptions options, Process process)
        {
            Options = options;
            Process = process;
        }

        public ChildOptions Options { get; }
        public Process Process { get; }
        public ChildStatus? Status => _status;

        public static Child Start(ChildOptions options)
        {
            var info = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = false,
                UseShellExecute = false,
            };
            // Run as `dotnet Voting.LoadTest.dll`: the child needs the assembly; as the apphost it does not.
            if (Path.GetFileNameWithoutExtension(info.FileName) == "dotnet") info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
            foreach (var arg in options.ToArgs()) info.ArgumentList.Add(arg);
            info.Environment["DOTNET_gcServer"] = "0";
            var process = Process.Start(info) ?? throw new InvalidOperationException("could not start a watcher process");
            var child = new Child(options, process);
            _ = Task.Run(child.ReadOutputAsync);
            return child;
        }

        public async Task SendAsync(string line)
        {
            if (Process.HasExited) return;
            try
            {
                await Process.StandardInput.WriteLineAsync(line);
                await Process.StandardInput.FlushAsync();
            }
            catch (IOException)
            {
                // The child is gone; its missing result says so.
            }
        }

        public async Task<ChildResult?> ResultAsync(TimeSpan timeout)
        {
            try
            {
                return await _result.Task.WaitAsync(timeout);
            }
            catch (TimeoutException)
            {
                Out.Warning($"a watcher process ({Options.Count} sockets from {Options.Source}) did not report in {timeout.TotalSeconds:F0} s");
                return null;
            }
        }

        private async Task ReadOutputAsync()
        {
            while (await Process.StandardOutput.ReadLineAsync() is { } line)
            {
                try
                {
                    if (line.StartsWith("{\"kind\":\"status\"", StringComparison.Ordinal))
                        _status = JsonSerializer.Deserialize(line, ChildJson.Default.ChildStatus);
                    else if (line.StartsWith("{\"kind\":\"result\"", StringComparison.Ordinal))
                        _result.TrySetResult(JsonSerializer.Deserialize(line, ChildJson.Default.ChildResult));
                    else if (line.Length > 0)
                        Out.Line($"[watchers {Options.Source}] {line}");
                }
                catch (JsonException ex)
                {
                    Out.Warning($"unreadable line from a watcher process: {ex.Message}");
                }
            }
            _result.TrySetResult(null);
        }

        public async ValueTask DisposeAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                await Process.WaitForExitAsync();
            }
            Process.Dispose();
        }
    }
}
