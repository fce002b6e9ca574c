using System.Globalization;
using System.Text;
using Voting.TestSupport;

namespace Voting.LoadTest;

/// <summary>Settings of the <c>receipts</c> subcommand.</summary>
internal sealed record ReceiptOptions
{
    public Uri BaseUrl { get; init; } = new("http://127.0.0.1:5000/");
    public string VotersFile { get; init; } = "";
    public int Count { get; init; }
    public string OutDirectory { get; init; } = "";
    public string ProductId { get; init; } = "com.hangmeas.votes.10";
    public int Parallelism { get; init; } = 32;
}

internal static partial class OptionsParser
{
    public static ReceiptOptions ParseReceipts(IReadOnlyList<string> args)
    {
        var o = new ReceiptOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count) throw new UsageException($"{name} needs a value");
                return args[++i];
            }

            o = name switch
            {
                "--url" => o with { BaseUrl = ParseUrl(Value()) },
                "--voters-file" => o with { VotersFile = NonEmpty(name, Value()) },
                "--count" => o with { Count = Int(name, Value(), 1, 10_000_000) },
                "--out" => o with { OutDirectory = NonEmpty(name, Value()) },
                "--product" => o with { ProductId = NonEmpty(name, Value()) },
                "--parallelism" => o with { Parallelism = Int(name, Value(), 1, 1_024) },
                _ => throw new UsageException($"unknown option '{name}'"),
            };
        }
        if (o.VotersFile.Length == 0 || o.Count == 0 || o.OutDirectory.Length == 0)
            throw new UsageException("receipts needs --voters-file, --count and --out");
        return o;
    }
}

/// <summary>
/// The <c>receipts</c> subcommand: pre-signed StoreKit 2 transactions for a purchase benchmark
/// (tools/bench/purchase-bench.sh), so the load generator only sends bytes. A new Apple-shaped CA
/// signs them; its root goes to <c>root.pem</c> for the server's <c>Purchases:Apple:RootCertificates:0</c>.
/// Each body is a new transaction (unique transactionId) for the voter whose token it is sent with
/// (appAccountToken from <c>GET /api/v1/me</c>), the voters taken in turn.
/// </summary>
internal static class ReceiptsCommand
{
    public static async Task<int> RunAsync(ReceiptOptions options, CancellationToken ct)
    {
        var voters = File.ReadLines(options.VotersFile).Select(l => l.Split(' ', 2)).Where(p => p.Length == 2 && p[1].StartsWith("Bearer ", StringComparison.Ordinal))
            .Select(p => p[1].Trim()).ToArray();
        if (voters.Length == 0) throw new UsageException($"no '<user_id> Bearer <token>' line in {options.VotersFile}");

        var tokens = new Guid[voters.Length];
        using (var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Parallelism, UseProxy = false, UseCookies = false })
        using (var http = new HttpClient(handler) { BaseAddress = options.BaseUrl, Timeout = TimeSpan.FromSeconds(30) })
        {
            var api = new ApiClient(http, adminKey: "");
            try
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, voters.Length), new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct },
                    async (i, token) =>
                    {
                        var me = await api.MeAsync(voters[i], token);
                        tokens[i] = Guid.TryParse(me.AccountToken, out var t) ? t : throw new ApiException($"user {me.UserId}: no account_token in GET /api/v1/me");
                    });
            }
            catch (Exception ex) when (ex is ApiException or HttpRequestException)
            {
                Out.Error($"reading account tokens failed: {ex.Message}");
                return 1;
            }
        }

        Directory.CreateDirectory(options.OutDirectory);
        using var ca = new AppleTestCa();
        await File.WriteAllTextAsync(Path.Combine(options.OutDirectory, "root.pem"), ca.RootCertificate.ExportCertificatePem(), ct);

        // Digits only, as Apple's are; the clock prefix keeps two generations apart.
        var prefix = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var bodiesPath = Path.Combine(options.OutDirectory, "bodies.txt");
        await using (var writer = new StreamWriter(bodiesPath, append: false, new UTF8Encoding(false), bufferSize: 1 << 16))
        {
            for (var i = 0; i < options.Count; i++)
            {
                ct.ThrowIfCancellationRequested();
                var v = i % voters.Length;
                var transactionId = prefix + i.ToString("D8", CultureInfo.InvariantCulture);
                var jws = ca.Sign(AppleTestCa.TransactionPayload(options.ProductId, quantity: 1, tokens[v], transactionId: transactionId));
                // A JWS is base64url and dots: nothing to escape in JSON.
                await writer.WriteAsync($"{voters[v]}\t{{\"platform\":\"ios\",\"signed_transaction\":\"{jws}\"}}\n");
            }
        }
        Out.Line($"{options.Count:N0} signed transactions of {options.ProductId} for {voters.Length:N0} voters in {Path.GetFullPath(bodiesPath)}; "
            + $"root certificate in {Path.GetFullPath(Path.Combine(options.OutDirectory, "root.pem"))}");
        return 0;
    }
}
