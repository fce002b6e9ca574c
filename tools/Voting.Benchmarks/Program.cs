using System.Diagnostics;
using System.Globalization;
using Voting.Domain;
using Voting.Domain.Voting;
using Voting.Storage;

// Store benchmark: commits batches of paid votes straight through the store (no HTTP), so the
// ledger's own cost can be told apart from the web stack's.
//   dotnet run -c Release --project tools/Voting.Benchmarks -- sqlite [batch] [seconds]
//   dotnet run -c Release --project tools/Voting.Benchmarks -- postgres "Host=...;Database=..." [batch] [seconds]
// Analytics latency: fills an episode with N votes through the store, then times the analytics report (AnalyticsBench).
//   dotnet run -c Release --project tools/Voting.Benchmarks -- analytics sqlite [votes] [voters]
//   dotnet run -c Release --project tools/Voting.Benchmarks -- analytics postgres "Host=...;Database=..." [votes] [voters]
// Fraud scoring's CPU per vote apart from HTTP and the store (FraudBench).
//   dotnet run -c Release --project tools/Voting.Benchmarks -- fraud [voters] [votes]
// RETURNING against a count of changes on SQLite's writer (SqliteReturningBench).
//   dotnet run -c Release --project tools/Voting.Benchmarks -- sqlite-returning [rows] [rounds]
if (args.Length > 0 && args[0] == "sqlite-returning")
{
    SqliteReturningBench.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "fraud")
{
    FraudBench.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "analytics")
{
    await AnalyticsBench.RunAsync(args[1..]);
    return;
}
var provider = args.Length > 0 ? args[0] : "sqlite";
var rest = args.Skip(1).ToArray();
string connection;
if (provider == "postgres")
{
    connection = rest[0];
    rest = rest[1..];
}
else
{
    var dir = Path.Combine(Path.GetTempPath(), "xfactor-bench-" + Guid.NewGuid().ToString("N"));
    connection = $"Data Source={Path.Combine(dir, "voting.db")}";
}
var batchSize = rest.Length > 0 ? int.Parse(rest[0], CultureInfo.InvariantCulture) : 1000;
var seconds = rest.Length > 1 ? double.Parse(rest[1], CultureInfo.InvariantCulture) : 10;

await using var store = StoreFactory.Create(new StorageOptions { Provider = provider, ConnectionString = connection }, TimeProvider.System);
await store.MigrateAsync(default);
var season = await store.CreateSeasonAsync("Bench", 2026, "active", default);
var episodeNumber = Random.Shared.Next(1, int.MaxValue);
var episode = new EpisodeId((await store.CreateEpisodeAsync(new NewEpisode(season, episodeNumber, "Bench", null, null), default)).Id);
var contestants = new List<ContestantId>();
for (var i = 1; i <= 5; i++)
{
    var c = new ContestantId(await store.CreateContestantAsync(new NewContestant($"C{i}", null, null, null, null, null), default));
    await store.AddToLineupAsync(episode, c, i, null, default);
    contestants.Add(c);
}
await store.CloseVotingAsync(episode, default);
var open = await store.OpenVotingAsync(episode, TimeSpan.FromHours(1), default);
if (open.Status != WindowStatus.Ok) throw new InvalidOperationException($"could not open voting: {open.Status} (another episode open?)");

Console.WriteLine($"{provider}: creating {batchSize * 2} voters...");
var voters = new List<VoterId>();
for (var i = 0; i < batchSize * 2; i++)
{
    var phone = "09" + Random.Shared.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture);
    await store.IssueCodeAsync(new NewOneTimeCode(phone, "h", TimeSpan.FromMinutes(5), 100, "x"), default);
    var check = await store.VerifyCodeAsync(phone, "h", 5, default);
    await store.CreditVotesAsync(check.Voter, 1_000_000, "bench", null, null, default);
    voters.Add(check.Voter);
}

var committed = 0L;
var batches = 0;
var latencies = new List<double>();
var sw = Stopwatch.StartNew();
var n = 0;
while (sw.Elapsed.TotalSeconds < seconds)
{
    var commands = new List<VoteCommand>(batchSize);
    for (var i = 0; i < batchSize; i++, n++)
    {
        commands.Add(new VoteCommand(voters[n % voters.Count], null, new VoteRequest(contestants[n % 5], VoteType.Paid, 1), null,
            "fp", new ClientInfo("127.0.0.1", "bench", null, null)));
    }
    var t = Stopwatch.GetTimestamp();
    var outcomes = await store.CommitVotesAsync(commands, default);
    latencies.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
    committed += outcomes.Count(o => o is VoteAccepted);
    batches++;
}
var elapsed = sw.Elapsed.TotalSeconds;
latencies.Sort();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"{provider}: batch {batchSize}: {committed} votes in {elapsed:F1} s = {committed / elapsed:F0} votes/s; {batches} commits, p50 {latencies[latencies.Count / 2]:F1} ms, max {latencies[^1]:F1} ms per commit"));
var audit = await store.AuditEpisodeAsync(episode, default);
Console.WriteLine($"audit consistent: {audit.Consistent}, ledger votes {audit.LedgerVotes}");
