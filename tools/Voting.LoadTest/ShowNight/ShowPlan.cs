namespace Voting.LoadTest.ShowNight;

internal enum VoteKind { Free, Paid, Bundle, Sms }

/// <summary>One request of the show: who, what, for whom and when (milliseconds after voting opens).</summary>
internal sealed record PlannedVote(int Viewer, VoteKind Kind, int Contestant, int VoteCount, int AtMs);

/// <summary>
/// Who votes what and when, decided up front from the seed so a run can be repeated: app viewers
/// are free voters, paid voters (some of them with a bundle instead of credits) and SMS texters.
/// Each viewer sends 1 to <see cref="ShowNightOptions.MaxRequestsPerViewer"/> requests spread over
/// the first 90 % of the window, so no limit (5 free votes, 100 requests a minute, 50 SMS votes a
/// day) refuses a planned vote and any refusal the report shows is the server's doing.
/// </summary>
internal sealed class ShowPlan
{
    public const int MaxFreeVotes = 5;
    public const int MaxSmsTexts = 3;
    public const int MaxVotesPerRequest = 10;
    public const int MaxVotesPerText = 5;

    private ShowPlan(IReadOnlyList<VoteKind> kinds, IReadOnlyList<PlannedVote> votes)
    {
        Kinds = kinds;
        Votes = votes;
    }

    /// <summary>The kind of each viewer; app viewers first, then SMS texters.</summary>
    public IReadOnlyList<VoteKind> Kinds { get; }

    /// <summary>Every request, by time.</summary>
    public IReadOnlyList<PlannedVote> Votes { get; }

    public int Count(VoteKind kind) => Kinds.Count(k => k == kind);

    /// <summary>The votes viewer <paramref name="viewer"/> casts in all: what to credit, or grant as a bundle.</summary>
    public int VotesOf(int viewer) => Votes.Where(v => v.Viewer == viewer).Sum(v => v.VoteCount);

    public static ShowPlan Create(int appViewers, int smsViewers, double paidShare, double bundleShare, int contestants,
        int windowSeconds, int maxRequests, int seed)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(appViewers);
        ArgumentOutOfRangeException.ThrowIfNegative(smsViewers);
        ArgumentOutOfRangeException.ThrowIfLessThan(contestants, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxRequests, 1);
        var random = new Random(seed);
        var paid = (int)Math.Round(appViewers * paidShare);
        var bundle = (int)Math.Round(paid * bundleShare);
        var kinds = new VoteKind[appViewers + smsViewers];
        for (var i = 0; i < appViewers; i++) kinds[i] = i < bundle ? VoteKind.Bundle : i < paid ? VoteKind.Paid : VoteKind.Free;
        random.Shuffle(kinds.AsSpan(0, appViewers));
        for (var i = appViewers; i < kinds.Length; i++) kinds[i] = VoteKind.Sms;

        // Earlier ballots are more popular, so the ranks are stable enough to read and still move.
        var weights = Enumerable.Range(0, contestants).Select(c => contestants - c + 1.0).ToArray();
        var window = windowSeconds * 1000;
        var votes = new List<PlannedVote>();
        for (var viewer = 0; viewer < kinds.Length; viewer++)
        {
            var kind = kinds[viewer];
            var requests = random.Next(1, 1 + Math.Min(maxRequests, kind switch { VoteKind.Free => MaxFreeVotes, VoteKind.Sms => MaxSmsTexts, _ => maxRequests }));
            for (var r = 0; r < requests; r++)
            {
                var count = kind switch
                {
                    VoteKind.Free => 1,
                    VoteKind.Sms => random.Next(1, MaxVotesPerText + 1),
                    _ => random.Next(1, MaxVotesPerRequest + 1),
                };
                var at = (int)(window * (0.02 + (0.88 * random.NextDouble())));
                votes.Add(new PlannedVote(viewer, kind, Pick(random, weights), count, at));
            }
        }
        votes.Sort((a, b) => a.AtMs != b.AtMs ? a.AtMs.CompareTo(b.AtMs) : a.Viewer.CompareTo(b.Viewer));
        return new ShowPlan(kinds, votes);
    }

    private static int Pick(Random random, double[] weights)
    {
        var x = random.NextDouble() * weights.Sum();
        for (var i = 0; i < weights.Length; i++)
        {
            x -= weights[i];
            if (x < 0) return i;
        }
        return weights.Length - 1;
    }
}
