namespace Voting.Server.Demo;

/// <summary>Ready shell lines (bash, curl, openssl) that call the server as the control room and each carrier would.</summary>
public static class TryItCommands
{
    private const string Hmac = "openssl dgst -sha256 -hmac";

    /// <summary>Closes the demo episode's voting (its results are then announced); set event and episode for the other signals.</summary>
    public static string Signal(string url, string secret) =>
        $$$"""event=VOTING_CLOSE; episode=1; body='{"event":"'$event'","timestamp":"'$(date -u +%FT%TZ)'","data":{"episode_id":'$episode'}}'; t=$(date +%s); """
        + $$$"""curl -sS -X POST {{{url}}}/api/v1/broadcast/signals -H 'Content-Type: application/json' """
        + $$$"""-H "X-Broadcast-Signature: t=$t,v1=$(printf '%s.%s' "$t" "$body" | {{{Hmac}}} '{{{secret}}}' -r | cut -d' ' -f1)" -d "$body"; echo""";

    public static string Smart(string url, string shortCode, string secret) =>
        $$$"""body='{"from":"010123456","to":"{{{shortCode}}}","message":"VOTE 1","message_id":"try-'$RANDOM$RANDOM'","timestamp":'$(date +%s)'}'; """
        + $$$"""curl -sS -X POST {{{url}}}/webhooks/sms/smart -H 'Content-Type: application/json' """
        + $$$"""-H "X-Smart-Signature: $(printf '%s' "$body" | {{{Hmac}}} '{{{secret}}}' -r | cut -d' ' -f1)" -d "$body"; echo""";

    public static string Cellcard(string url, string shortCode, string token) =>
        $$$"""curl -sS -X POST {{{url}}}/webhooks/sms/cellcard -H 'Content-Type: application/json' """
        + $$$"""-d '{"msisdn":"012123456","short_code":"{{{shortCode}}}","text":"VOTE 1","msg_id":"try-'$RANDOM$RANDOM'","received_at":'$(date +%s)',"api_token":"{{{token}}}"}'; echo""";

    public static string Metfone(string url, string shortCode, string key) =>
        $$$"""curl -sS -X POST {{{url}}}/webhooks/sms/metfone -H 'Content-Type: application/json' -H 'Authorization: Bearer {{{key}}}' """
        + $$$"""-d '{"sender":"097123456","receiver":"{{{shortCode}}}","content":"VOTE 1","sms_id":"try-'$RANDOM$RANDOM'","recv_time":'$(date +%s)'}'; echo""";
}
