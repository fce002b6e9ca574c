using System.Collections.Concurrent;

namespace Voting.LoadTest;

internal sealed record Voter(long UserId, string Authorization);

internal sealed record SetupResult(long EpisodeId, string? EpisodeTitle, IReadOnlyList<long> ContestantIds, IReadOnlyList<Voter> Voters);

/// <summary>Signs in and credits the voters; none of this is part of the measurement.</summary>
internal sealed class Setup(VoteOptions options, ApiClient api)
{
    public async Task<SetupResult> RunAsync(CancellationToken ct)
    {
        if (options.VotersFile is { } file && File.Exists(file))
        {
            // Voters saved by an earlier run against the same database: signed in and credited.
            var saved = File.ReadAllLines(file).Select(l => l.Split(' ', 2)).Where(p => p.Length == 2)
                .Select(p => new Voter(long.Parse(p[0], System.Globalization.CultureInfo.InvariantCulture), p[1])).Take(options.Voters).ToArray();
            var now = await CurrentEpisodeAsync(saved[0].Authorization["Bearer ".Length..], ct);
            var ep = now.Episode ?? throw new ApiException("current_episode answered without data.episode");
            Out.Line($"reusing {saved.Length:N0} voters from {file}; episode {ep.Id} '{ep.Title}'");
            return new SetupResult(ep.Id, ep.Title, PickContestants(now.Contestants ?? []), saved);
        }
        var result = await SignInAndCreditAsync(ct);
        if (options.VotersFile is { } path)
            await File.WriteAllLinesAsync(path, result.Voters.Select(v => $"{v.UserId} {v.Authorization}"), ct);
        return result;
    }

    private async Task<SetupResult> SignInAndCreditAsync(CancellationToken ct)
    {
        var phones = PhoneGenerator.Generate(options.Seed, options.Voters);

        // One voter first: reading the open episode needs a token.
        var first = await api.SignInAsync(phones[0], ct);
        var current = await CurrentEpisodeAsync(first.AccessToken!, ct);
        var episode = current.Episode ?? throw new ApiException("current_episode answered without data.episode");
        var contestants = PickContestants(current.Contestants ?? []);
        Out.Line($"episode {episode.Id} '{episode.Title}', {contestants.Count} contestants: {string.Join(", ", contestants)}");

        var tokens = new TokenData?[phones.Length];
        tokens[0] = first;
        var signInFailures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await PhaseProgress.RunAsync($"signing in {phones.Length:N0} voters", phones.Length, async done =>
        {
            done.Increment();
            await Parallel.ForEachAsync(Enumerable.Range(1, phones.Length - 1), Bounded(ct), async (i, token) =>
            {
                tokens[i] = await Try(() => api.SignInAsync(phones[i], token), signInFailures);
                done.Increment();
            });
        });
        ReportFailures("sign-in", signInFailures);
        var signedIn = tokens.OfType<TokenData>().ToArray();

        var credited = new bool[signedIn.Length];
        var creditFailures = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        await PhaseProgress.RunAsync($"crediting {signedIn.Length:N0} voters with {options.Credit:N0} votes", signedIn.Length, async done =>
            await Parallel.ForEachAsync(Enumerable.Range(0, signedIn.Length), Bounded(ct), async (i, token) =>
            {
                credited[i] = await Try(() => api.CreditAsync(signedIn[i].UserId, options.Credit, token), creditFailures) is not null;
                done.Increment();
            }));
        ReportFailures("credit", creditFailures);

        var voters = signedIn.Where((_, i) => credited[i]).Select(t => new Voter(t.UserId, "Bearer " + t.AccessToken)).ToArray();
        if (voters.Length == 0) throw new ApiException("no voter could be signed in and credited");
        return new SetupResult(episode.Id, episode.Title, contestants, voters);
    }

    private async Task<CurrentEpisodeData> CurrentEpisodeAsync(string accessToken, CancellationToken ct)
    {
        try
        {
            return await api.CurrentEpisodeAsync(accessToken, ct);
        }
        catch (ApiException ex) when (ex.Code == "NO_ACTIVE_EPISODE")
        {
            throw new ApiException(ex.Message + " (open an episode's voting first: POST /api/v1/admin/episodes/{id}/voting/open)", ex.Status, ex.Code);
        }
    }

    private static List<long> PickContestants(IReadOnlyList<ContestantData> all)
    {
        // Votes for eliminated contestants are refused, which would measure the wrong path.
        var standing = all.Where(c => !string.Equals(c.Status, "eliminated", StringComparison.OrdinalIgnoreCase))
            .Select(c => c.Id).ToList();
        if (standing.Count == 0) throw new ApiException("the open episode has no contestant still in the running");
        return standing;
    }

    private ParallelOptions Bounded(CancellationToken ct) =>
        new() { MaxDegreeOfParallelism = options.SetupParallelism, CancellationToken = ct };

    // One voter failing (a phone over its hourly code limit, say) should not sink a 20,000-voter setup.
    private static async Task<T?> Try<T>(Func<Task<T>> call, ConcurrentDictionary<string, int> failures)
        where T : class
    {
        try
        {
            return await call();
        }
        catch (ApiException ex)
        {
            failures.AddOrUpdate($"{ex.Status} {ex.Code}", 1, (_, n) => n + 1);
        }
        catch (HttpRequestException ex)
        {
            failures.AddOrUpdate($"transport {ex.HttpRequestError}", 1, (_, n) => n + 1);
        }
        catch (TaskCanceledException ex) when (ex.InnerException is TimeoutException)
        {
            failures.AddOrUpdate("timeout", 1, (_, n) => n + 1);
        }
        return null;
    }

    private static void ReportFailures(string phase, ConcurrentDictionary<string, int> failures)
    {
        foreach (var (what, count) in failures.OrderByDescending(f => f.Value))
            Out.Warning($"{phase} failed for {count:N0} voters: {what}");
    }
}
