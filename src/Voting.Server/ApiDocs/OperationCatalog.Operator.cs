using Microsoft.OpenApi;
using Voting.Server.Sms;

namespace Voting.Server.ApiDocs;

public static partial class OperationCatalog
{
    private static void AddOperator()
    {
        const string admin = "/api/v1/admin";
        Op($"POST {admin}/seasons", new("createSeason", "Operator", "Create a season", "201 with data.id."));
        Op($"POST {admin}/contestants", new("createContestant", "Operator", "Create a contestant", "201 with data.id."));
        Op($"POST {admin}/episodes", new("createEpisode", "Operator", "Create an episode of a season", "201 with data.id.")
        {
            Errors = Errors((404, E("SEASON_NOT_FOUND")), (409, E("EPISODE_EXISTS"))),
        });
        Op($"POST {admin}/episodes/{{id}}/contestants", new("addToLineup", "Operator", "Add a contestant to an episode's line-up",
            "performance_order is also the contestant's ballot number for SMS in that episode. 201.")
        {
            Errors = Errors((404, E("EPISODE_NOT_FOUND", "CONTESTANT_NOT_FOUND")), (409, E("LINEUP_CONFLICT"))),
        });
        Op($"POST {admin}/episodes/{{id}}/voting/open", new("openVoting", "Operator", "Open an episode's voting window",
            "Through the show's state machine, so viewers hear VOTING_OPEN. Only one episode's voting is open at a time. The body is optional (default 1800 s).")
        {
            Errors = Errors((404, E("EPISODE_NOT_FOUND")), (409, E("VOTING_ALREADY_OPEN", "INVALID_TRANSITION"))),
        });
        Op($"POST {admin}/episodes/{{id}}/voting/close", new("closeVoting", "Operator", "Close an episode's voting window",
            "Closing a closed window again answers as the first close did.")
        {
            Errors = Errors((404, E("EPISODE_NOT_FOUND")), (409, E("INVALID_TRANSITION"))),
        });
        Op($"POST {admin}/contestants/{{id}}/eliminate", new("eliminateContestant", "Operator", "Eliminate a contestant",
            "Votes for an eliminated contestant are refused with 422 CONTESTANT_ELIMINATED.")
        {
            Errors = Errors((404, E("CONTESTANT_NOT_FOUND"))),
        });
        Op($"POST {admin}/users/{{id}}/vote_credits", new("creditVotes", "Operator", "Credit paid votes to a voter",
            "A ledger credit of paid votes, for support and testing; an Idempotency-Key makes a retry credit once.")
        {
            Errors = Errors((404, E("USER_NOT_FOUND"))),
            Headers = [ApiHeaders.IdempotencyKey],
        });
        Op($"POST {admin}/users/{{id}}/bundles", new("grantBundle", "Operator", "Grant a bundle of votes to a voter", "A bundle the voter spends with vote_type bundle.")
        {
            Errors = Errors((404, E("USER_NOT_FOUND"))),
        });
        Op($"GET {admin}/episodes/{{id}}/audit", new("auditEpisode", "Operator", "Recompute an episode's tallies from the ledger",
            "ledger_votes sums vote_count over the episode's counted vote rows, tally_votes the kept tallies; consistent says whether they agree " +
            "per contestant. digest is a SHA-256 over the vote rows then the void rows (digest_format says how).")
        {
            Errors = Errors((404, E("EPISODE_NOT_FOUND"))),
        });
        Op($"GET {admin}/episodes/{{id}}/export", new("exportEpisode", "Operator", "The certified export of an episode's ledger",
            "NDJSON (application/x-ndjson), streamed from one snapshot: each line an object with kind: one header (episode, line-up, the " +
            "results frozen with RESULTS_READY and their digest, or null before; digest_format), every vote row in id order, every void row " +
            "in vote id order, one trailer (vote and void rows, counted votes, totals and ranks per contestant with voids excluded, the " +
            "digest, which equals the audit's). `dotnet run --project tools/Voting.Cli -- verify FILE` recomputes totals, ranks and digest " +
            "from the file alone.")
        {
            Errors = Errors((404, E("EPISODE_NOT_FOUND"))),
        });
        Op($"POST {admin}/votes/void", new("voidVotes", "Voids", "Void votes with compensating rows",
            "Exactly one selector: vote_ids, voter_id, device_id or ip. refund true gives back what the votes spent; false (fraud) gives nothing back. " +
            "A vote row is voided at most once. The same Idempotency-Key again returns the first answer and changes nothing.")
        {
            Errors = Errors((404, E("EPISODE_NOT_FOUND")), (409, E("RESULTS_FROZEN", "IDEMPOTENCY_KEY_REUSED"))),
            Headers = [ApiHeaders.IdempotencyKey],
        });
        Op($"GET {admin}/fraud/reviews", new("listFraudReviews", "Fraud", "The fraud review queue",
            "Votes counted but scored over the review score, newest first, with their score, reasons and decision. " +
            "Filters: episode_id, status (open, approved, voided); limit 1-1000 (default 100).")
        {
            Errors = Errors((400, E("INVALID_REQUEST"))),
            ResponseExample = """
                { "success": true, "data": { "reviews": [ { "id": 7, "vote_id": 1042, "voter_id": 88, "episode_id": 9, "score": 0.6,
                  "reasons": ["device", "proxy"], "status": "open", "created_at": "2025-06-14T12:31:05+00:00", "decided_at": null,
                  "decided_by": null, "decision_note": null, "device_id": "a1b2", "ip": "203.0.113.7" } ] } }
                """,
        });
        Op($"POST {admin}/fraud/reviews/{{id}}/approve", new("approveFraudReview", "Fraud", "Approve a reviewed vote",
            "The vote stays counted; the review is decided as approved under the operator's name.")
        {
            Errors = Errors((404, E("REVIEW_NOT_FOUND")), (409, E("INVALID_TRANSITION"))),
        });
        Op($"POST {admin}/fraud/reviews/{{id}}/void", new("voidFraudReview", "Fraud", "Void a reviewed vote",
            "A void of the vote without refund (as POST /api/v1/admin/votes/void with refund false), which decides the review as voided. " +
            "Refused once the episode's results are final.")
        {
            Errors = Errors((400, E("INVALID_REQUEST")), (404, E("REVIEW_NOT_FOUND")), (409, E("INVALID_TRANSITION", "RESULTS_FROZEN"))),
            RequestExample = """{ "reason": "shared device farm" }""",
        });
        Op($"GET {admin}/fraud/blocked", new("listBlockedVotes", "Fraud", "Blocked vote attempts",
            "App votes and texts refused for their score (VOTE_BLOCKED) or country (VOTE_GEO_BLOCKED), newest first, with reasons. " +
            "Filters: episode_id; limit 1-1000 (default 100).")
        {
            Errors = Errors((400, E("INVALID_REQUEST"))),
        });
        Op($"POST {admin}/users/{{id}}/travel", new("markTravelling", "Fraud", "Mark a voter as travelling",
            "Until the given time the country rule and the refusal of votes from abroad do not apply to the voter. " +
            "A later mark replaces an earlier one; a time in the past ends the mark.")
        {
            Errors = Errors((400, E("INVALID_REQUEST")), (404, E("USER_NOT_FOUND"))),
            RequestExample = """{ "until": "2025-07-01T00:00:00+07:00" }""",
        });
        Op($"GET {admin}/episodes/{{id}}/sms", new("getEpisodeSms", "SMS", "An episode's SMS votes by carrier",
            "Messages, counted votes, refusals by reason, late and mismatched deliveries, and carrier charges with revenue.")
        {
            Errors = Errors((404, E("EPISODE_NOT_FOUND"))),
        });
        Op($"GET {admin}/episodes/{{id}}/analytics", new("getEpisodeAnalytics", "Operator", "An episode's analytics report",
            "summary, timeline, demographics (voters), geographic (votes), payment_methods, contestant_analysis and predictions (null unless voting " +
            "is open), read from counters kept with the votes; voided votes excluded. section=timeline|demographics|geographic|payment_methods|" +
            "contestant_analysis gives one table; with format=csv it is text/csv, a header row then one row per item (format=csv needs a section).")
        {
            Errors = Errors((400, E("INVALID_REQUEST")), (404, E("EPISODE_NOT_FOUND"))),
        });
        Op($"GET {admin}/outbox", new("listOutbox", "Outbox", "List outbox rows by status",
            "Rows waiting, delivered or dead, optionally of one kind; newest first, at most `limit`."));
        Op($"POST {admin}/outbox/{{id}}/retry", new("retryOutbox", "Outbox", "Send a dead letter again", "Only a dead row can be retried.")
        {
            Errors = Errors((404, E("OUTBOX_NOT_FOUND")), (409, E("OUTBOX_NOT_DEAD"))),
        });
        Op($"GET {admin}/audit_log", new("listAuditLog", "Operator", "What operators did, newest first",
            "One entry per operator action that changed something (show and catalog changes, voting windows, eliminations, vote credits, " +
            "bundles, voids, vote packages, outbox retries, review decisions), under the name of the operator's key (Admin:ApiKeys:<name>; " +
            "the single Admin:ApiKey is `admin`), with the target, the time, the request id and a small `details` object. " +
            "`limit` 1-1000 (default 100); `before` an entry id, to page back. Reads are not recorded."));
    }

    private static void Op(string key, OperationDoc doc) => Add(key, doc with { Access = Access.Operator });

    private static void AddIntegrations()
    {
        Add("POST /api/v1/broadcast/signals", new("sendBroadcastSignal", "Show", "A control-room signal that moves the show",
            "Signed with `X-Broadcast-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of \"<t>.<raw body>\">` (several v1 values may be given " +
            "during a key rotation). A signature more than the replay window from the server's time is 401 SIGNATURE_EXPIRED; a repeated " +
            "signal answers as the first did. 503 SIGNALS_DISABLED when no signing secret is configured.")
        {
            Access = Access.BroadcastSignature,
            Errors = Errors((401, E("INVALID_SIGNATURE", "SIGNATURE_EXPIRED")), (404, E("EPISODE_NOT_FOUND")),
                (409, E("VOTING_ALREADY_OPEN", "INVALID_TRANSITION")), (422, E("INVALID_CONTESTANT")), (503, E("SIGNALS_DISABLED", "UNAVAILABLE"))),
        });
        Add("POST /webhooks/sms/smart", new("receiveSmartSms", "SMS", "Smart delivers an incoming SMS",
            "JSON or form `{ from, to, message, message_id, timestamp }`, signed with `X-Smart-Signature` = hex HMAC-SHA256 of the raw body. " +
            "Answers `{ \"status\": \"processed\" | \"failed\" }` once the vote's batch has committed; the same message_id again counts nothing.")
        {
            Access = Access.SmartSignature,
            Webhook = new(new SmartWebhook(null).Names, null, "application/json",
                () => Answer(("status", new OpenApiSchema { Type = JsonSchemaType.String, Enum = ["processed", "failed"] }))),
        });
        Add("POST /webhooks/sms/cellcard", new("receiveCellcardSms", "SMS", "Cellcard delivers an incoming SMS",
            "JSON or form `{ msisdn, short_code, text, msg_id, received_at, api_token }`: the carrier's token is in the body. " +
            "Answers `{ \"success\": true | false }`.")
        {
            Access = Access.BodyToken,
            Webhook = new(new CellcardWebhook(null).Names, "api_token", "application/json",
                () => Answer(("success", new OpenApiSchema { Type = JsonSchemaType.Boolean }))),
        });
        Add("POST /webhooks/sms/metfone", new("receiveMetfoneSms", "SMS", "Metfone delivers an incoming SMS",
            "JSON or form `{ sender, receiver, content, sms_id, recv_time }` with `Authorization: Bearer <key>`. " +
            "Answers XML `<response><status>OK|ERROR</status></response>`.")
        {
            Access = Access.MetfoneKey,
            Webhook = new(new MetfoneWebhook(null).Names, null, "application/xml",
                () => new OpenApiSchema { Type = JsonSchemaType.String, Description = "<response><status>OK|ERROR</status>[<message>...</message>]</response>" }),
        });
    }

    /// <summary>A carrier's JSON answer: its verdict field, and <c>error</c> on a refused delivery.</summary>
    private static OpenApiSchema Answer((string Name, OpenApiSchema Schema) verdict) => new()
    {
        Type = JsonSchemaType.Object,
        Required = new HashSet<string> { verdict.Name },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            [verdict.Name] = verdict.Schema,
            ["error"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Why a delivery was refused (4xx/5xx only)." },
        },
    };
}
