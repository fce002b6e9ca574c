using Microsoft.OpenApi;

namespace Voting.Server.ApiDocs;

public static partial class OperationCatalog
{
    private static void AddViewer()
    {
        Add("GET /health", new("getHealth", "Health", "Check the service is up",
            "200 once the store is reachable and its migrations are applied; for load balancers and monitors."));

        Add("POST /api/v1/auth/otp", new("requestCode", "Auth", "Send a sign-in code by SMS",
            "Sends a six-digit code to a Cambodian mobile number (012345678, +855 12 345 678 and 85512345678 are all read as 012345678). " +
            "At most 5 codes per phone per hour, and limits per client address and number block. " +
            "In Development, data.dev_code carries the code.")
        {
            Errors = Errors((422, E("INVALID_PHONE")), (429, E("RATE_LIMITED"))),
            RequestExample = """{ "phone_number": "012345678" }""",
            ResponseExample = """{ "success": true, "data": { "expires_in": 300, "dev_code": null } }""",
        });
        Add("POST /api/v1/auth/token", new("signIn", "Auth", "Exchange the code for an access token",
            "Creates the voter on first sign-in and marks the phone verified. The token goes in `Authorization: Bearer <access_token>` " +
            "on viewer operations. A wrong or expired code is 401 INVALID_CODE; after 5 wrong tries the code is dead.")
        {
            Errors = Errors((401, E("INVALID_CODE")), (422, E("INVALID_PHONE"))),
            RequestExample = """{ "phone_number": "012345678", "code": "123456" }""",
            ResponseExample = """{ "success": true, "data": { "access_token": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI3In0.c2lnbmF0dXJl", "token_type": "Bearer", "expires_in": 86400, "user_id": 7 } }""",
        });

        Add("GET /api/v1/xfactor/voting/current_episode", new("getCurrentEpisode", "Voting", "The episode whose voting is open",
            "The open episode with its line-up and live counts; with a bearer token, also the viewer's own voting status " +
            "(user_voting_status is null without one). 404 NO_ACTIVE_EPISODE when no voting is open, with the next episode if one is scheduled.")
        {
            Access = Access.OptionalViewer,
            Errors = Errors((404, new ErrorDoc(["NO_ACTIVE_EPISODE"], "NoActiveEpisodeError", NoEpisodeFields))),
            ResponseExample = """
                { "success": true, "data": {
                  "episode": { "id": 9, "title": "Live Show 3", "episode_number": 3, "description": null, "air_date": "2025-06-14T12:00:00+00:00",
                    "voting_start": "2025-06-14T12:30:00+00:00", "voting_end": "2025-06-14T13:00:00+00:00", "voting_active": true,
                    "time_remaining": { "total_seconds": 1200, "days": 0, "hours": 0, "minutes": 20, "seconds": 0 }, "time_remaining_seconds": 1200,
                    "total_votes": 5120, "thumbnail_url": null, "video_url": null },
                  "contestants": [ { "id": 3, "name": "Sokha", "khmer_name": "សុខា", "bio": null, "hometown": "Battambang", "age": 22, "photo_url": null,
                    "status": "active", "ballot_number": 1, "votes": 3072, "percentage": 60.0,
                    "performance": { "performance_order": 1, "song_performed": "Pka Proheam", "judges_score": null, "performance_video_url": null } } ],
                  "user_voting_status": { "has_voted": true, "free_votes_used": 2, "free_votes_remaining": 3, "paid_votes_cast": 0, "total_votes_cast": 2, "vote_balance": 0 },
                  "vote_packages": [ { "id": 1, "name": "10 Votes", "vote_count": 10, "bonus_votes": 0, "total_votes": 10, "price": 0.99, "currency": "USD",
                    "badge_text": null, "sort_order": 1, "ios_product_id": "com.hangmeas.votes.10", "android_product_id": "votes_10", "active": true } ] } }
                """,
        });
        Add("POST /api/v1/xfactor/voting/cast_vote", new("castVote", "Voting", "Cast a vote",
            "Counts `vote_count` votes of `vote_type` for a contestant, in `episode_id` or else the episode whose voting is open. " +
            "200 only after the vote is committed. Send an Idempotency-Key so a retry after a lost answer counts nothing twice. " +
            "The per-voter limit (100 requests a minute) is checked first: past it, 429 with Retry-After. " +
            "Refusals are 422 with a machine error_code; nothing is counted or spent. " +
            "503 UNAVAILABLE with Retry-After (seconds) when the vote queue is full or the store could not commit: nothing was counted; send it again. " +
            "Every vote is scored for fraud first (velocity, shared device, proxy range, country, machine timing, GPS): over the block score it is " +
            "422 VOTE_BLOCKED, from outside the allowed countries (unless the voter is marked travelling) 422 VOTE_GEO_BLOCKED; nothing is counted " +
            "and the attempt is kept for the operators. Over the review score the vote is counted and queued for review.")
        {
            Errors = CastVoteErrors(),
            Headers = [ApiHeaders.IdempotencyKey, ApiHeaders.DeviceId, ApiHeaders.AppVersion, ApiHeaders.Location],
            RequestExample = """{ "contestant_id": 3, "vote_type": "free", "vote_count": 1 }""",
            ResponseExample = """
                { "success": true, "data": { "vote_id": 1042, "contestant": { "id": 3, "name": "Sokha", "current_votes": 3073 },
                  "user_status": { "votes_remaining": { "free_votes": 2, "vote_balance": 0, "sms_votes_available": 50 }, "vote_balance": 0, "loyalty_points_earned": 2 } } }
                """,
        });
        Add("GET /api/v1/xfactor/voting/results/{episodeId}", new("getResults", "Voting", "An episode's results",
            "Votes, percentages (two decimals) and ranks per contestant, sorted by votes with ties broken by ballot number, " +
            "and the breakdown by vote type and hour. Voided votes are excluded.")
        {
            Errors = Errors((404, E("EPISODE_NOT_FOUND"))),
            ResponseExample = """
                { "success": true, "data": { "episode": { "id": 9, "title": "Live Show 3", "episode_number": 3, "voting_active": true, "total_votes": 5120 },
                  "results": [ { "contestant_id": 3, "name": "Sokha", "khmer_name": null, "photo_url": null, "votes": 3072, "percentage": 60.0, "rank": 1 },
                               { "contestant_id": 4, "name": "Dara", "khmer_name": null, "photo_url": null, "votes": 2048, "percentage": 40.0, "rank": 2 } ],
                  "vote_breakdown": { "total_votes": 5120, "unique_voters": 1800, "by_type": { "free": 4000, "paid": 800, "bundle": 120, "sms": 200 },
                    "by_hour": [ { "hour": "2025-06-14T12:00:00+00:00", "votes": 5120 } ] },
                  "last_updated": "2025-06-14T12:40:00+00:00" } }
                """,
        });
        Add("GET /api/v1/xfactor/voting/history", new("getVoteHistory", "Voting", "The viewer's votes, newest first",
            "20 per page; each vote says whether it is counted or was voided.")
        {
            Access = Access.Viewer,
        });
        Add("GET /api/v1/xfactor/voting/vote_balance", new("getVoteBalance", "Voting", "The viewer's paid-vote balance",
            "The wallet balance, bundle votes, loyalty points and the latest credits."));

        Add("GET /api/v1/xfactor/show/{episodeId}", new("getShowState", "Show", "The live show's state",
            "The same object as the STATE_UPDATE push message's data (see the AsyncAPI document at /asyncapi/v1.json).")
        {
            Errors = Errors((404, E("EPISODE_NOT_FOUND"))),
        });

        Add("POST /api/v1/me/push_tokens", new("registerPushToken", "Push", "Register a device for push notifications",
            "201 when the token is new to this voter (a token registered to another voter moves to this one), 200 when it was already registered to this voter."));
        Add("DELETE /api/v1/me/push_tokens/{token}", new("removePushToken", "Push", "Stop push notifications to a device",
            "Removes one of the viewer's device tokens.")
        {
            Errors = Errors((404, E("PUSH_TOKEN_NOT_FOUND"))),
        });
    }

    /// <summary>current_episode's 404 keeps the seed's <c>error</c> and <c>next_episode</c> beside the envelope.</summary>
    private static void NoEpisodeFields(OpenApiSchema schema, OpenApiDocument document)
    {
        schema.Properties!["error"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The first message again (the seed's field)." };
        schema.Properties["next_episode"] = new OpenApiSchema
        {
            Description = "The next scheduled episode, or null.",
            OneOf = [new OpenApiSchemaReference("EpisodeDto", document), new OpenApiSchema { Type = JsonSchemaType.Null }],
        };
    }
}
