using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>
/// The voting server as a separate OS process (dotnet Voting.Server.dll), so a test can
/// SIGKILL it mid-load and start it again on the same database.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ServerProcess(Process process, Uri address)
    {
        _process = process;
        Address = address;
        Client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = address, Timeout = TimeSpan.FromSeconds(30) };
        Api = new ApiDriver(Client);
    }

    public Uri Address { get; }
    public HttpClient Client { get; }
    public ApiDriver Api { get; }
    public int Id => _process.Id;

    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _output = new();

    /// <summary>What the server wrote to stdout and stderr so far.</summary>
    public IReadOnlyList<string> Output => [.. _output];

    private void Keep(string? line)
    {
        if (line is not null) _output.Enqueue(line);
    }

    /// <param name="port">A port to listen on (to restart a server where its clients expect it); a free one when null.</param>
    public static async Task<ServerProcess> StartAsync(TestDatabase db, IDictionary<string, string>? settings = null, int? port = null)
    {
        port ??= FreePort();
        var process = Process.Start(StartInfo(db, settings, port.Value)) ?? throw new InvalidOperationException("could not start the server");
        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        // Drain its output so the pipe never fills and blocks the server; keep it for tests that read logs.
        process.OutputDataReceived += (_, e) => server.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => server.Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await server.WaitHealthyAsync();
        return server;
    }

    /// <summary>Starts a server that is expected to refuse to start; returns its exit code and what it wrote.</summary>
    public static async Task<(int ExitCode, string Output)> RunUntilExitAsync(TestDatabase db, IDictionary<string, string> settings)
    {
        using var process = Process.Start(StartInfo(db, settings, FreePort())) ?? throw new InvalidOperationException("could not start the server");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("the server did not exit");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    private static ProcessStartInfo StartInfo(TestDatabase db, IDictionary<string, string>? settings, int port)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Voting.Server.dll");
        var info = new ProcessStartInfo("dotnet", ["exec", dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        info.Environment["Storage__Provider"] = db.Provider;
        info.Environment["ConnectionStrings__Voting"] = db.ConnectionString;
        info.Environment["Demo__Enabled"] = "false";
        info.Environment["Admin__ApiKey"] = VotingTestServer.AdminKey;
        info.Environment["Auth__SigningKey"] = "test-signing-key-0123456789abcdef0123456789";
        info.Environment["Broadcast__SigningSecret"] = VotingTestServer.SignalSecret;
        info.Environment["Auth__CodesPerIpPerHour"] = "1000000";
        info.Environment["Auth__CodesPerPrefixPerHour"] = "1000000";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var kv in settings ?? new Dictionary<string, string>()) info.Environment[kv.Key] = kv.Value;
        return info;
    }

    private async Task WaitHealthyAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"server exited with {_process.ExitCode}");
            try
            {
                using var res = await Client.GetAsync("/health");
                if (res.StatusCode == HttpStatusCode.OK) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("server did not become healthy");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flush, nothing graceful.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM: the graceful path a process manager takes.</summary>
    public async Task TerminateAsync()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill!.WaitForExitAsync();
        await _process.WaitForExitAsync();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
