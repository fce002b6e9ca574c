using Voting.Storage.Ledger;

namespace Voting.Storage.Tests.Ledger;

/// <summary><c>voter_episode.contestant_votes</c> as the projection writes it and as the analytics and the audit read it back.</summary>
public sealed class ContestantVotesColumnTests
{
    [Fact]
    public void IncrementsAreSummedPerContestantInContestantOrderWithoutZeros()
    {
        Assert.Equal("{\"3\":3,\"12\":-1}", ContestantVotesColumn.Format([(12, -1), (3, 2), (7, 4), (3, 1), (7, -4)]));
        Assert.Equal("{}", ContestantVotesColumn.Format([]));
    }

    [Theory]
    [InlineData("{}", new long[0])]
    [InlineData("{\"3\":3,\"12\":0}", new long[] { 3, 3, 12, 0 })]
    [InlineData("{\"3\": 3, \"12\": -1}", new long[] { 3, 3, 12, -1 })] // PostgreSQL's jsonb text
    [InlineData(" { \"5\" :\n7 } ", new long[] { 5, 7 })]
    [InlineData("{\"0\":1}", new long[] { 0, 1 })]
    public void WhatEitherStoreWritesReadsBack(string json, long[] flat)
    {
        var expected = flat.Chunk(2).Select(p => (p[0], p[1])).ToList();
        Assert.Equal(expected, ContestantVotesColumn.Parse(json));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{\"3\":2")]
    [InlineData("{\"3\":2,}")]
    [InlineData("{\"3\":2.5}")]
    [InlineData("{\"3\":\"2\"}")]
    [InlineData("{\"x\":2}")]
    [InlineData("{\"-3\":2}")]
    [InlineData("{3:2}")]
    [InlineData("{\"3\":{\"4\":1}}")]
    [InlineData("{\"3\":99999999999999999999}")]
    [InlineData("{}{}")]
    [InlineData("{}\0x")]
    [InlineData("{\"3\":1,\"3\":1}")]
    [InlineData("{\"03\":1,\"3\":1}")]
    [InlineData("{\"03\":1}")]
    public void AnythingElseIsRefused(string json) =>
        Assert.Throws<FormatException>(() => ContestantVotesColumn.Parse(json));
}
