namespace Voting.LoadTest;

internal static class Usage
{
    public const string Text = """
        Voting.LoadTest: load generator for the XFactor voting server (loopback only).

        usage: Voting.LoadTest <command> [options]

        commands:
          votes      sign in voters, credit them, then cast paid votes over HTTP and report
          sms        deliver signed Smart webhook texts ("VOTE n") from many numbers and report
          sms-requests  write signed Smart webhook texts to a file, for wrk (tools/bench/sms-bench.sh)
          carrier    the three carriers' outbound APIs (texts, charges, refunds) on 127.0.0.1, counting
                     what they accept, for the server's outbox dispatcher to deliver to in a benchmark
          receipts   sign StoreKit 2 transactions for signed-in voters (for tools/bench/purchase-bench.sh)
          watchers   hold W WebSocket watchers of the open episode (in child processes) while
                     casting V votes/s; report connections held, server memory, delivery delays
          show-night a compressed live show on a fresh episode: viewers sign in and are paid for,
                     watchers connect, signed broadcast signals run the show and open and close
                     the window while viewers vote (free, paid, bundle, SMS); then checks the
                     ledger, the frozen results and what the watchers saw; Markdown + JSON report

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
          --setup-only              sign in and credit the voters, save them to --voters-file
                                    and stop without casting a vote (for wrk: tools/bench)
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

        sms-requests options (line i: "<X-Smart-Signature><TAB><body>", VOTE b from the i-th number
        in turn, a unique message_id each):
          --secret SECRET           the server's Sms:Smart:Secret        (required)
          --count N                 texts to write                       (required)
          --ballots LIST            ballot numbers to text in turn, e.g. 1,2,3  (required)
          --out FILE                where the lines go                   (required)
          --numbers N               distinct Smart numbers, in turn      (100000)
          --vote-count K            votes per text, "VOTE n K", 1-10     (1)
          --seed S                  seed of the numbers and message ids  (from the clock)
          Refused when a number would send more than its 50 SMS votes a day (count / numbers * K > 50).

        carrier options (POST /{smart|cellcard|metfone}/{sms|charge|refund}, GET /stats; until Ctrl+C
        or SIGTERM, then prints the counts):
          --port P                  port on 127.0.0.1, 0 for a free one  (0)
          --smart-secret S          Smart's Sms:Smart:Secret (signatures) (smart-test-secret)
          --cellcard-token T        Cellcard's Sms:Cellcard:ApiToken     (cellcard-test-token)
          --metfone-key K           Metfone's Sms:Metfone:ApiKey         (metfone-test-key)

        receipts options (the server must be up: each voter's account_token comes from GET /api/v1/me):
          --url URL                 server base address, loopback only   (http://127.0.0.1:5000)
          --voters-file FILE        "<user_id> Bearer <token>" lines (votes --setup-only)  (required)
          --count N                 transactions to sign, each new, voters in turn       (required)
          --out DIR                 writes DIR/root.pem (the signing CA's root, for
                                    Purchases:Apple:RootCertificates:0) and DIR/bodies.txt,
                                    lines "Bearer <token><TAB><purchase JSON body>"    (required)
          --product ID              the iOS product id bought            (com.hangmeas.votes.10)
          --parallelism P           concurrent GET /api/v1/me requests   (32)

        watchers options (and the votes options above, for the votes cast meanwhile):
          --url URL                 a server; repeat for several nodes of one database: the
                                    watchers, the connections and the vote rate are split
                                    evenly over them, voters are set up on the first
          --watchers W, -w W        WebSocket watchers on /ws/voting, all servers (1000)
          --votes-per-second V      votes cast per second while watching; 0 for none (1000)
          --episode ID              with --votes-per-second 0: the episode to watch, so no
                                    voter is signed in (default: the open episode)
          --per-process N           watchers per child process, at most 19000 (one process
                                    holds about 19,900 sockets here; a process watches one
                                    server)                               (15000)
          --sources K               loopback source addresses 127.0.0.2.. spread over the
                                    processes, for when ephemeral ports run short (one each)
          --connect-parallelism P   WebSocket handshakes in flight per process (200)
          --connect-timeout S       seconds for one handshake             (30)
          --ramp-timeout S          seconds for all watchers to connect   (300)
          --server-pid PID          server whose resident memory is read from /proc, once per
                                    --url in order (default: the process listening on each
                                    --url's port); memory per watcher is per server and for
                                    all servers summed
          without --voters / --connections they are sized for the rate: voters stay under
          100 requests a minute, one connection per 50 requests/s

          delivery delay: commit→receipt is receipt time minus LIVE_RESULTS data.as_of (the
          newest commit in the snapshot; connect snapshots excluded), sent→receipt is receipt
          time minus sent_at; both on this machine's clock

        show-night options (the server needs Broadcast:SigningSecret, Sms:Smart:Secret, no episode
        with its voting open (--Demo:Enabled false), and sign-in limits lifted:
        --Auth:CodesPerIpPerHour 1000000 --Auth:CodesPerPrefixPerHour 1000000):
          --url URL                 server base address, loopback only   (http://127.0.0.1:5000)
          --signal-secret SECRET    the server's Broadcast:SigningSecret (required)
          --sms-secret SECRET       the server's Sms:Smart:Secret        (required with SMS viewers)
          --viewers N               viewers, app and SMS                 (1000)
          --window S                seconds voting is open               (60)
          --watchers W              WebSocket watchers, one process      (200)
          --sms-share F             share of viewers who text instead    (0.1)
          --paid-share F            share of app viewers who pay         (0.3)
          --bundle-share F          share of paying viewers with a bundle instead of credits (0.25)
          --contestants K           line-up size                         (5)
          --requests-per-viewer R   most requests a viewer sends, 1-5    (5)
          --performance-ms MS       each performance, PERFORMANCE_START to _END (500)
          --close-margin S          VOTING_OPEN announces window + S, so the signal closes it (5)
          --admin-key KEY           operator X-Api-Key                   (dev-admin-key)
          --connections C, -c C     requests in flight                   (64)
          --setup-parallelism P     concurrent sign-in/credit requests   (32)
          --timeout S               per-request timeout in seconds       (30)
          --verify-sample N         viewers whose history is checked     (500)
          --results-timeout S       wait for RESULTS_READY after the close (60)
          --report DIR              where show-night.md and .json go     (artifacts/show-night/<time>)
          --seed S                  seed of phones and the plan          (from the clock)
          Exit code 0 when every check passes, 1 when one fails (or setup fails).

        examples:
          dotnet run -c Release --project tools/Voting.LoadTest -- votes --url http://127.0.0.1:5000 \
            --voters 20000 --connections 256 --duration 30 --warmup 5
          dotnet run -c Release --project tools/Voting.LoadTest -- sms --url http://127.0.0.1:5000 \
            --secret bench-secret --numbers 100000 --connections 256 --duration 30 --warmup 5
          dotnet run -c Release --project tools/Voting.LoadTest -- watchers --url http://127.0.0.1:5000 \
            --watchers 18000 --votes-per-second 5000 --duration 60 --warmup 10 --json watchers.json
          dotnet run -c Release --project tools/Voting.LoadTest -- show-night --url http://127.0.0.1:5000 \
            --viewers 1000 --watchers 200 --window 60 --signal-secret S --sms-secret T
        """;
}
