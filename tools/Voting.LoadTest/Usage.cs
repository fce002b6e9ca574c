namespace Voting.LoadTest;

internal static class Usage
{
    public const string Text = """
        Voting.LoadTest: load generator for the XFactor voting server (loopback only).

        usage: Voting.LoadTest <command> [options]

        commands:
          votes    sign in voters, credit them, then cast paid votes over HTTP and report
          sms      deliver signed Smart webhook texts ("VOTE n") from many numbers and report

        votes options:
          --url URL                 server base address, loopback only   (http://127.0.0.1:5000)
          --voters N                voters to sign in                    (20000)
          --connections C, -c C     concurrent connections and workers   (256)
          --duration D, -d D        measured seconds                     (30)
          --warmup W                warm-up seconds, not measured        (5)
          --vote-count K            vote_count of each request           (1)
          --admin-key KEY           operator X-Api-Key                   (dev-admin-key)
          --credit X                paid votes credited to each voter    (100000)
          --setup-parallelism P     concurrent sign-in/credit requests   (64)
          --timeout S               per-request timeout in seconds       (30)
          --seed S                  seed of the generated phone numbers  (from the clock)
          --idempotency             send a unique Idempotency-Key per request
          --voters-file FILE        reuse voters signed in and credited by an earlier run against
                                    the same database (the file is written when missing)
          --json FILE               also write the figures as JSON

        sms options (the server needs Sms:Smart:Secret; texts go to POST /webhooks/sms/smart):
          --url URL                 server base address, loopback only   (http://127.0.0.1:5000)
          --secret SECRET           the server's Sms:Smart:Secret        (required)
          --numbers N               distinct Smart numbers texting       (100000)
          --connections C, -c C     concurrent connections and workers   (256)
          --duration D, -d D        measured seconds                     (30)
          --warmup W                warm-up seconds, not measured        (5)
          --vote-count K            votes per text, "VOTE n K", 1-10     (1)
          --ballots LIST            ballot numbers to text, e.g. 1,2,3   (the open episode's line-up)
          --timeout S               per-request timeout in seconds       (30)
          --seed S                  seed of the numbers and message ids  (from the clock)
          --json FILE               also write the figures as JSON
          Each number may text 50 SMS votes a day: past that, texts answer "failed" (SMS_LIMIT_EXCEEDED);
          use more --numbers, or a fresh database, for long runs.

        examples:
          dotnet run -c Release --project tools/Voting.LoadTest -- votes --url http://127.0.0.1:5000 \
            --voters 20000 --connections 256 --duration 30 --warmup 5
          dotnet run -c Release --project tools/Voting.LoadTest -- sms --url http://127.0.0.1:5000 \
            --secret bench-secret --numbers 100000 --connections 256 --duration 30 --warmup 5
        """;
}
