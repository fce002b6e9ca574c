using System.Diagnostics;

namespace Voting.Server.Tests.Infrastructure;

/// <summary>The built <c>tools/Voting.Cli</c> run as its own process (dotnet Voting.Cli.dll), as anyone holding an export runs it.</summary>
public static class CliProcess
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Voting.Cli.dll");
        var info = new ProcessStartInfo("dotnet", ["exec", dll, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start Voting.Cli");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("Voting.Cli did not exit");
        }
        return (process.ExitCode, await output, await error);
    }
}
