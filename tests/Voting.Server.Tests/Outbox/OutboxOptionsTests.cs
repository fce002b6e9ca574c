using Voting.Server.Outbox;

namespace Voting.Server.Tests.Outbox;

public sealed class OutboxOptionsTests
{
    [Theory]
    // The defaults: a timeout's worth left for the answer and another for recording it.
    [InlineData(30, 10, 10_000)]
    // A short lease: half of what the timeout leaves is kept for the recording.
    [InlineData(3, 2, 500)]
    [InlineData(60, 10, 40_000)]
    public void ABatchsRequestsStartOnlyWhileTheAnswerAndItsRecordingFitInTheLease(int lease, int timeout, int sendWithinMs)
    {
        var o = new OutboxOptions { LeaseSeconds = lease, TimeoutSeconds = timeout };

        Assert.Equal(TimeSpan.FromMilliseconds(sendWithinMs), o.SendWithin);
        Assert.True(o.SendWithin + o.Timeout < o.Lease);
    }
}
