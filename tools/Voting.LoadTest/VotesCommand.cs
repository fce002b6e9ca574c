namespace Voting.LoadTest;

/// <summary>The <c>votes</c> subcommand: setup, load, report.</summary>
internal static class VotesCommand
{
    public static async Task<int> RunAsync(VoteOptions options, CancellationToken ct)
    {
        Out.Line($"target {options.BaseUrl}, {options.Voters:N0} voters, "
            + (options.SetupOnly ? $"setup only ({options.Credit:N0} paid votes credited each)" : $"{options.Connections} connections, {options.WarmupSeconds} s warm-up + {options.DurationSeconds} s")
            + $", seed {options.Seed} (--seed reuses these phones)");

        var (setup, failed) = await SetupAsync(options, ct);
        if (setup is null) return failed;
        if (setup.Voters.Count < options.Voters)
            Out.Warning($"only {setup.Voters.Count:N0} of {options.Voters:N0} voters are ready; the load uses those");
        if (options.SetupOnly)
        {
            Out.Line($"{setup.Voters.Count:N0} voters ready in {Path.GetFullPath(options.VotersFile!)}; episode {setup.EpisodeId}, "
                + $"contestants {string.Join(",", setup.ContestantIds)}; no votes cast (--setup-only)");
            return 0;
        }

        Out.Line($"casting paid votes for episode {setup.EpisodeId} with {options.Connections} connections"
            + (ct.IsCancellationRequested ? "" : " (Ctrl+C stops early and still reports)"));
        var result = await new VoteLoad(options, setup).RunAsync(ct);

        Report.Print(result);
        if (options.JsonPath is { } path)
        {
            await Report.WriteJsonAsync(result, path, CancellationToken.None);
            Out.Line($"figures written to {Path.GetFullPath(path)}");
        }
        // Interrupted runs still report, but a script chaining runs should see the difference.
        return result.StoppedEarly ? 130 : 0;
    }

    /// <summary>Signs in and credits the voters; on failure says why and gives the exit code.</summary>
    public static async Task<(SetupResult? Setup, int ExitCode)> SetupAsync(VoteOptions options, CancellationToken ct)
    {
        using var setupHandler = new SocketsHttpHandler { MaxConnectionsPerServer = options.SetupParallelism, UseProxy = false, UseCookies = false };
        using var http = new HttpClient(setupHandler) { BaseAddress = options.BaseUrl, Timeout = TimeSpan.FromSeconds(options.TimeoutSeconds) };
        try
        {
            return (await new Setup(options, new ApiClient(http, options.AdminKey)).RunAsync(ct), 0);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            Out.Error("stopped during setup; nothing was measured");
            return (null, 130);
        }
        catch (Exception ex) when (ex is ApiException or HttpRequestException or TaskCanceledException { InnerException: TimeoutException })
        {
            Out.Error($"setup failed: {ex.Message}");
            return (null, 1);
        }
    }
}
