using System.Security.Cryptography;
using System.Text;
using Voting.Domain.Audit;

namespace Voting.Domain.Tests.Audit;

public sealed class VoteDigestTests
{
    private static readonly DigestRow First = new(1, 10, 2, 7, "free", 1, 1_795_000_000_000);
    private static readonly DigestRow Second = new(2, 11, 2, 8, "sms", 5, 1_795_000_000_250);

    private static string Digest(params DigestRow[] rows)
    {
        using var digest = new VoteDigest();
        foreach (var row in rows) digest.Append(row);
        return digest.Finish();
    }

    [Fact]
    public void ALineIsThePipeSeparatedFieldsEndedByANewline() =>
        Assert.Equal("12|34|5|6|paid|1000|1795000000123\n", VoteDigest.Line(new DigestRow(12, 34, 5, 6, "paid", 1000, 1_795_000_000_123)));

    [Fact]
    public void TheDigestOfNoRowsIsTheSha256OfEmptyInput() =>
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Digest());

    [Fact]
    public void TheDigestIsTheSha256OfTheConcatenatedLines()
    {
        const string export = "1|10|2|7|free|1|1795000000000\n2|11|2|8|sms|5|1795000000250\n";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(export)));

        Assert.Equal(expected, Digest(First, Second));
    }

    [Fact]
    public void RowOrderChangesTheDigest() =>
        Assert.NotEqual(Digest(First, Second), Digest(Second, First));

    [Fact]
    public void VoidRowsFollowTheVoteRowsAndAnEpisodeWithoutVoidsKeepsTheDigestOfItsVotes()
    {
        var vote = new DigestRow(1, 2, 3, 4, "paid", 5, 1_700_000_000_000);
        using var votesOnly = new VoteDigest();
        votesOnly.Append(vote);
        using var withVoid = new VoteDigest();
        withVoid.Append(vote);
        withVoid.Append(new VoidDigestRow(1, 9, true, 1_700_000_060_000));

        Assert.Equal("void|1|9|1|1700000060000\n", VoteDigest.Line(new VoidDigestRow(1, 9, true, 1_700_000_060_000)));
        var plain = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(VoteDigest.Line(vote))));
        Assert.Equal(plain, votesOnly.Finish());
        var both = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(
            VoteDigest.Line(vote) + "void|1|9|1|1700000060000\n")));
        Assert.Equal(both, withVoid.Finish());
    }
}
