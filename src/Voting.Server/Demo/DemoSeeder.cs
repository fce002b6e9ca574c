using System.ComponentModel.DataAnnotations;
using Voting.Domain;
using Voting.Server.Infrastructure;
using Voting.Storage;

namespace Voting.Server.Demo;

public sealed class DemoOptions
{
    /// <summary>Seed a demo season into an empty store. Defaults to true in Development only.</summary>
    public bool? Enabled { get; set; }

    [Range(1, 10_080)]
    public int VotingMinutes { get; set; } = 120;
}

/// <summary>Seeds one active season with an open episode so a newcomer can vote at once.</summary>
public static class DemoSeeder
{
    private static readonly (string Name, string Khmer, string Hometown, int Age, string Song)[] Contestants =
    [
        ("Sophea Chan", "ចាន់ សុភា", "Phnom Penh", 22, "Champa Battambang"),
        ("Dara Kim", "គឹម ដារ៉ា", "Siem Reap", 25, "Sva Rom Monkiss"),
        ("Srey Neang Phan", "ផាន់ ស្រីនាង", "Battambang", 19, "Oun Sralanh Bong"),
        ("Vuthy Sok", "សុខ វុទ្ធី", "Kampot", 27, "Phnom Penh Nights"),
        ("Channary Lim", "លឹម ចាន់ណារី", "Kampong Cham", 21, "Mekong Moon"),
    ];

    public static async Task<EpisodeRecord?> SeedIfEmptyAsync(ICatalogStore store, DemoOptions options, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        if (await store.AnySeasonAsync(ct)) return null;
        var season = await store.CreateSeasonAsync("XFactor Cambodia", time.GetUtcNow().Year, "active", ct);
        var episode = await store.CreateEpisodeAsync(new NewEpisode(season, 1, "Live Show 1", "The first live show of the season", time.GetUtcNow()), ct);
        var id = new EpisodeId(episode.Id);
        var ballot = 1;
        foreach (var c in Contestants)
        {
            var contestant = await store.CreateContestantAsync(new NewContestant(c.Name, c.Khmer, c.Hometown, c.Age, $"{c.Name} from {c.Hometown}", null), ct);
            await store.AddToLineupAsync(id, new ContestantId(contestant), ballot++, c.Song, ct);
        }
        var window = await store.OpenVotingAsync(id, TimeSpan.FromMinutes(options.VotingMinutes), ct);
        Log.DemoSeeded(logger, episode.Id, "Live Show 1", window.End ?? time.GetUtcNow());
        return await store.GetEpisodeAsync(id, ct);
    }
}
