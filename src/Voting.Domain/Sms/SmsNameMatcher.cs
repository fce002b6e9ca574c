namespace Voting.Domain.Sms;

/// <summary>Finds the one contestant a name fragment means.</summary>
internal static class SmsNameMatcher
{
    private delegate bool Rule(Candidate name, string spaced, string compact);

    // Tried in order; the first rule that matches anyone decides. An exact name beats a whole word
    // ("Dara" picks Dara, not Dara Kim), which beats a substring ("Chan" picks Sophea Chan, not
    // Chanthy Kim). Spaces are ignored by the exact and substring rules because Khmer names are
    // texted with or without them.
    private static readonly Rule[] Rules =
    [
        (name, _, compact) => name.Compact.Equals(compact, StringComparison.OrdinalIgnoreCase),
        (name, spaced, _) => name.PaddedWords.Contains($" {spaced} ", StringComparison.OrdinalIgnoreCase),
        (name, _, compact) => name.Compact.Contains(compact, StringComparison.OrdinalIgnoreCase),
    ];

    /// <summary>The vote for the only contestant <paramref name="fragment"/> names, or why there is none.</summary>
    /// <param name="fragment">A normalized name fragment (see <see cref="SmsText.Normalize"/>), not empty.</param>
    public static SmsParseResult Match(string fragment, IReadOnlyList<SmsLineupEntry> lineup, int count)
    {
        var compact = SmsText.Compact(fragment);
        var names = Candidates(lineup);
        foreach (var rule in Rules)
        {
            SmsLineupEntry? found = null;
            foreach (var name in names)
            {
                if (!rule(name, fragment, compact) || ReferenceEquals(found, name.Entry)) continue;
                if (found is not null) return new SmsRefused(SmsRefusal.AmbiguousName);
                found = name.Entry;
            }
            if (found is not null) return new SmsVote(found.Contestant, found.BallotNumber, count);
        }
        return new SmsRefused(SmsRefusal.UnknownContestant);
    }

    // Line-up names go through the same normalization as texts, so a name stored in full-width or
    // with double spaces still matches. Entries are in order, so an entry's two names are adjacent.
    private static List<Candidate> Candidates(IReadOnlyList<SmsLineupEntry> lineup)
    {
        var names = new List<Candidate>(lineup.Count * 2);
        foreach (var entry in lineup)
        {
            Add(names, entry, entry.Name);
            Add(names, entry, entry.KhmerName);
        }
        return names;
    }

    private static void Add(List<Candidate> names, SmsLineupEntry entry, string? name)
    {
        if (name is null || SmsText.Normalize(name) is not { Length: > 0 } spaced) return;
        names.Add(new Candidate(entry, $" {spaced} ", SmsText.Compact(spaced)));
    }

    private sealed record Candidate(SmsLineupEntry Entry, string PaddedWords, string Compact);
}
