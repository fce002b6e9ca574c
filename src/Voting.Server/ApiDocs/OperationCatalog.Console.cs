namespace Voting.Server.ApiDocs;

public static partial class OperationCatalog
{
    /// <summary>The operator console's reads and show control, and the metrics scrape.</summary>
    private static void AddConsole()
    {
        const string admin = "/api/v1/admin";
        Op($"GET {admin}/seasons", new("listSeasons", "Operator", "List the seasons", "Every season, newest year first.")
        {
            ResponseExample = """{ "success": true, "data": { "seasons": [ { "id": 1, "name": "Season 1", "year": 2026, "status": "active", "created_at": "2026-01-05T09:00:00Z" } ] } }""",
        });
        Op($"GET {admin}/episodes", new("listEpisodes", "Operator", "List episodes",
            "Every episode, or a season's with `season_id`, by season and episode number, with its voting window.")
        {
            ResponseExample = """{ "success": true, "data": { "episodes": [ { "id": 1, "season_id": 1, "episode_number": 1, "title": "Live 1", "description": null, "air_date": null, "voting_state": "idle", "voting_start": null, "voting_end": null } ] } }""",
        });
        Op($"GET {admin}/episodes/{{id}}", new("getEpisode", "Operator", "An episode with its line-up and show state",
            "`show` is the STATE_UPDATE data the push channels carry (the same object as GET /api/v1/xfactor/show/{id}).")
        {
            Errors = Errors((404, E("EPISODE_NOT_FOUND"))),
        });
        Op($"GET {admin}/contestants", new("listContestants", "Operator", "List the contestants", "Every contestant, by id, active and eliminated."));
        Op($"PATCH {admin}/contestants/{{id}}", new("updateContestant", "Operator", "Correct a contestant's details",
            "Only the fields sent change; a field sent as null is cleared (name cannot be). At least one of name, khmer_name, hometown, age, bio, " +
            "photo_url; age 0-150. Answers the contestant as it now is.")
        {
            Errors = Errors((404, E("CONTESTANT_NOT_FOUND"))),
            RequestExample = """{ "khmer_name": "សុខា", "age": 23 }""",
        });
        Op($"POST {admin}/episodes/{{id}}/show", new("controlShow", "Show", "Move the show by the operator's key",
            "For a studio without a broadcast system: a flat `{ event, contestant_id?, song_name?, duration? }` with the events, state machine " +
            "and answers of a signed broadcast signal (PERFORMANCE_START needs the show started, VOTING_OPEN's duration defaults to 1800 s). " +
            "Viewers hear of it on the push channels as they would of a signal.")
        {
            Errors = Errors((404, E("EPISODE_NOT_FOUND")), (409, E("VOTING_ALREADY_OPEN", "INVALID_TRANSITION")), (422, E("INVALID_CONTESTANT")),
                (503, E("UNAVAILABLE"))),
            RequestExample = """{ "event": "PERFORMANCE_START", "contestant_id": 2, "song_name": "Champa Battambang" }""",
        });
        Add("GET /metrics", new("scrapeMetrics", "Metrics", "Prometheus text of the service's meters",
            "Prometheus text exposition of the meter XFactor.Voting (names prefixed xfactor_, e.g. `xfactor_votes_committed_total{type=\"paid\"}`) " +
            "and ASP.NET Core's. Open by default; with Metrics:RequireApiKey it needs the operator's X-Api-Key. 404 when Metrics:Enabled is false."));
    }
}
