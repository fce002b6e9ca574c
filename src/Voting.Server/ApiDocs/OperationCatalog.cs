using Voting.Domain.Voting;
using Voting.Server.Voting;

namespace Voting.Server.ApiDocs;

/// <summary>
/// What the OpenAPI document says about each operation, keyed by "METHOD /route". A new endpoint adds
/// one entry here (or its own <c>.WithName/.WithSummary/.WithDescription/.WithTags</c>); the
/// document test fails for an operation without one.
/// </summary>
public static partial class OperationCatalog
{
    public static readonly IReadOnlyDictionary<string, string> Tags = new Dictionary<string, string>
    {
        ["Health"] = "Liveness of the service and its store.",
        ["Auth"] = "Viewer sign-in: a one-time code sent by SMS, exchanged for a bearer JWT.",
        ["Voting"] = "What viewers see and do: the open episode, casting votes, results, history and balance.",
        ["Show"] = "The live show's state, and the control room's signed signals that move it.",
        ["Push"] = "The viewer's device tokens for push notifications.",
        ["Operator"] = "Operator actions (X-Api-Key): seasons, contestants, episodes, voting windows, wallets and audits.",
        ["Voids"] = "Operator corrections: compensating void rows, with or without refunds.",
        ["Fraud"] = "Fraud scoring's operator side: the review queue, blocked attempts and travellers' marks.",
        ["SMS"] = "Premium-SMS votes: the carriers' delivery webhooks and the operator's SMS figures.",
        ["Profile"] = "The signed-in viewer's profile and the account token the app stores bind purchases to.",
        ["Purchases"] = "Vote packages: the catalog, purchases through the App Store, Google Play or the test store, and the stores' refund notifications.",
        ["Outbox"] = "Operator view of side effects waiting for delivery (SMS replies, carrier charges, push).",
        ["Metrics"] = "The service's meters for the platform's monitoring (Prometheus text; OTLP when configured).",
    };

    public static OperationDoc? Find(string method, string route) =>
        Operations.GetValueOrDefault($"{method.ToUpperInvariant()} {Normalize(route)}");

    public static string Normalize(string route) => "/" + route.Trim('/');

    private static readonly Dictionary<string, OperationDoc> Operations = new(StringComparer.Ordinal);

    private static void Add(string key, OperationDoc doc) => Operations.Add(key, doc);

    private static ErrorDoc E(params string[] codes) => new(codes);

    private static Dictionary<int, ErrorDoc> Errors(params (int Status, ErrorDoc Doc)[] errors) => errors.ToDictionary(e => e.Status, e => e.Doc);

    /// <summary>cast_vote's refusals, grouped by the status the handler answers them with (so the list cannot drift from the code).</summary>
    private static Dictionary<int, ErrorDoc> CastVoteErrors()
    {
        var byStatus = Enum.GetValues<VoteRefusal>()
            .Where(r => r != VoteRefusal.VoterNotFound)
            .GroupBy(r => ((IStatusCodeHttpResult)CastVote.Refused(r, 0)).StatusCode ?? 200)
            .ToDictionary(g => g.Key, g => new ErrorDoc(g.Select(r => r.Code()).ToList()));
        byStatus[StatusCodes.Status429TooManyRequests] = E("RATE_LIMITED");
        byStatus[StatusCodes.Status503ServiceUnavailable] = E("UNAVAILABLE");
        return byStatus;
    }

    static OperationCatalog()
    {
        AddViewer();
        AddOperator();
        AddIntegrations();
        AddPurchases();
        AddConsole();
    }
}
