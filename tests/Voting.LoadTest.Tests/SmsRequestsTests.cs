using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Voting.LoadTest.Tests;

public sealed class SmsRequestsTests
{
    private static readonly string[] Required = ["--secret", "s3cret", "--ballots", "1,2,3", "--out", "texts.txt"];

    private static SmsRequestsOptions Parse(params string[] more) =>
        OptionsParser.ParseSmsRequests([.. Required, .. more], TimeProvider.System);

    [Fact]
    public void FiftyTextsANumberAreAllowed()
    {
        var o = Parse("--numbers", "1000", "--count", "50000");
        Assert.Equal(50, o.TextsPerNumber);
        Assert.Equal([1, 2, 3], o.Ballots);
    }

    [Fact]
    public void OneTextOverFiftyANumberIsRefusedWithTheNumbersNeeded()
    {
        var e = Assert.Throws<UsageException>(() => Parse("--numbers", "1000", "--count", "50001"));
        Assert.Contains("50 SMS votes", e.Message, StringComparison.Ordinal);
        Assert.Contains("1,001 --numbers", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SeveralVotesATextCountAgainstTheDailyLimit()
    {
        Assert.Equal(10, Parse("--numbers", "100", "--count", "1000", "--vote-count", "5").TextsPerNumber);
        Assert.Throws<UsageException>(() => Parse("--numbers", "100", "--count", "1001", "--vote-count", "5"));
        Assert.Throws<UsageException>(() => Parse("--numbers", "100", "--count", "100", "--vote-count", "11"));
    }

    [Theory]
    [InlineData("--secret")]
    [InlineData("--ballots")]
    [InlineData("--out")]
    public void EachRequiredOptionIsRequired(string option)
    {
        var args = Required.ToList();
        args.RemoveRange(args.IndexOf(option), 2);
        Assert.Throws<UsageException>(() => OptionsParser.ParseSmsRequests([.. args, "--count", "10"], TimeProvider.System));
    }

    [Fact]
    public void TheCountIsRequired() =>
        Assert.Throws<UsageException>(() => OptionsParser.ParseSmsRequests(Required, TimeProvider.System));

    [Fact]
    public void EachLineIsASignedTextWithItsOwnMessageIdFromTheNumbersInTurn()
    {
        var o = Parse("--numbers", "3", "--count", "7", "--seed", "42");
        var lines = SmsRequestsCommand.Lines(o, TimeProvider.System).ToList();

        Assert.Equal(7, lines.Count);
        var bodies = lines.Select(line =>
        {
            Assert.EndsWith("\n", line, StringComparison.Ordinal);
            var (signature, body) = (line[..line.IndexOf('\t', StringComparison.Ordinal)], line[(line.IndexOf('\t', StringComparison.Ordinal) + 1)..^1]);
            Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData("s3cret"u8, Encoding.UTF8.GetBytes(body))), signature);
            return JsonDocument.Parse(body).RootElement;
        }).ToList();
        Assert.Equal(7, bodies.Select(b => b.GetProperty("message_id").GetString()).Distinct().Count());
        Assert.Equal(3, bodies.Select(b => b.GetProperty("from").GetString()).Distinct().Count());
        Assert.Equal(bodies[0].GetProperty("from").GetString(), bodies[3].GetProperty("from").GetString());
        Assert.Equal(["VOTE 1", "VOTE 2", "VOTE 3", "VOTE 1"], bodies.Take(4).Select(b => b.GetProperty("message").GetString()));
        Assert.All(bodies, b => Assert.Equal("1255", b.GetProperty("to").GetString()));
    }

    [Fact]
    public void TheSameSeedWritesTheSameNumbersAndIds()
    {
        var o = Parse("--numbers", "5", "--count", "5", "--seed", "7");
        var first = SmsRequestsCommand.Lines(o, TimeProvider.System).Select(l => l.Split('\t')[1][..60]).ToList();
        var again = SmsRequestsCommand.Lines(o, TimeProvider.System).Select(l => l.Split('\t')[1][..60]).ToList();
        Assert.Equal(first, again);
    }
}
