using Voting.Server.Live;
using Voting.Server.Show;

namespace Voting.Server.ApiDocs;

/// <summary>One push message type: the data type the server serializes for it, and a sample of that data.</summary>
public sealed record LiveMessageDoc(string Type, Type DataType, string Summary, object Example);

/// <summary>Every push message type with the record the server writes as its <c>data</c>; the AsyncAPI document is built from these.</summary>
public static class LiveMessageCatalog
{
    private static readonly LiveResultDto[] Results =
    [
        new(3, "Sokha", 1, null, 3072, "3.1K", 60.00m, 1, 0, "up"),
        new(4, "Dara", 2, "https://cdn.example.org/dara.jpg", 2048, "2K", 40.00m, 2, 0, "stable"),
    ];

    public static readonly IReadOnlyList<LiveMessageDoc> All =
    [
        new(PushTypes.StateUpdate, typeof(ShowStateDto), "The show's state changed (also sent first to every new subscriber).",
            new ShowStateDto("VOTING_OPEN", new EpisodeRefDto(9, "Live Show 3"), null, new VotingDto("2025-06-14T12:30:00.000Z", "2025-06-14T13:00:00.000Z", 1200))),
        new(PushTypes.LiveResults, typeof(LiveResultsDto), "Results, at most once a second while votes arrive.",
            new LiveResultsDto(Results, 5120, 1200, "2025-06-14T12:40:00.000Z")),
        new(PushTypes.VotingOpen, typeof(VotingOpenDto), "Voting opened, with the line-up.",
            new VotingOpenDto("2025-06-14T12:30:00.000Z", "2025-06-14T13:00:00.000Z", 1800, [new VotingContestantDto(3, "Sokha", 1, null)])),
        new(PushTypes.TimeUpdate, typeof(TimerDto), "Seconds left in the voting window.", new TimerDto(600, "2025-06-14T13:00:00.000Z")),
        new(PushTypes.Warning, typeof(TimerDto), "Voting closes soon.", new TimerDto(60, "2025-06-14T13:00:00.000Z")),
        new(PushTypes.Countdown, typeof(TimerDto), "The last seconds, one message a second.", new TimerDto(10, "2025-06-14T13:00:00.000Z")),
        new(PushTypes.VotingClosed, typeof(VotingClosedDto), "Voting closed (timer, operator or signal).",
            new VotingClosedDto("2025-06-14T13:00:00.000Z", "timer")),
        new(PushTypes.ResultsReady, typeof(ResultsReadyDto), "Final results, with the ledger digest they were audited against.",
            new ResultsReadyDto(Results, 5120, new AuditRefDto("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 5120))),
        new(PushTypes.VoteUpdate, typeof(VoteUpdateDto), "One contestant's count (subscribers that named contestant_id).",
            new VoteUpdateDto(3, 3072, 60.00m, 1)),
        new(PushTypes.DetailedUpdate, typeof(DetailedUpdateDto), "One contestant's recent votes, masked (subscribers that named contestant_id).",
            new DetailedUpdateDto(3, [new RecentVoteDto("012***678", 1, "free", "2025-06-14T12:39:59.000Z")], "up")),
    ];
}
