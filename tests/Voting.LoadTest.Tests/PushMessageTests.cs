using System.Text;
using Voting.LoadTest.Watchers;

namespace Voting.LoadTest.Tests;

/// <summary>The watcher reads type, seq, sent_at and data.as_of from an envelope, whatever else it holds.</summary>
public sealed class PushMessageTests
{
    [Fact]
    public void LiveResultsGiveTheirCommitTimeAndSendTime()
    {
        var json = """
            {"type":"LIVE_RESULTS","seq":42,"episode_id":7,"sent_at":"2026-03-01T12:00:01.250Z",
             "data":{"results":[{"contestant_id":1,"name":"A","as_of":"1999-01-01T00:00:00Z","votes":3}],
                     "total_votes":3,"time_remaining":10,"as_of":"2026-03-01T12:00:01.125Z"}}
            """;
        Assert.True(PushMessage.TryParse(Encoding.UTF8.GetBytes(json), out var m));
        Assert.True(m.IsLiveResults);
        Assert.Equal(42, m.Seq);
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 1, 250, TimeSpan.Zero), m.SentAt);
        // The as_of inside a result item is not the snapshot's.
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 1, 125, TimeSpan.Zero), m.AsOf);
    }

    [Fact]
    public void OtherMessagesAreReadWithoutACommitTime()
    {
        var json = """{"data":{"remaining":9,"closes_at":"2026-03-01T12:00:10Z"},"type":"COUNTDOWN","seq":43,"sent_at":"2026-03-01T12:00:01Z","episode_id":7}""";
        Assert.True(PushMessage.TryParse(Encoding.UTF8.GetBytes(json), out var m));
        Assert.False(m.IsLiveResults);
        Assert.Equal(43, m.Seq);
        Assert.Null(m.AsOf);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("""{"seq":1}""")]
    [InlineData("""{"type":"LIVE_RESULTS","seq":"one"}""")]
    [InlineData("""{"type":"LIVE_RESULTS","seq":1""")]
    public void WhatIsNotAnEnvelopeIsRejected(string json) =>
        Assert.False(PushMessage.TryParse(Encoding.UTF8.GetBytes(json), out _));
}
