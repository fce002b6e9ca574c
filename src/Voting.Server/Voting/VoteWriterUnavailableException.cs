namespace Voting.Server.Voting;

/// <summary>
/// The writer could not take or commit a vote: its queue is full, or the store failed the
/// transaction. Nothing was committed for it; endpoints answer 503 with Retry-After.
/// </summary>
public sealed class VoteWriterUnavailableException(string message, Exception? inner) : Exception(message, inner)
{
    public const string QueueFull = "the vote queue is full";
    public const string StoreFailed = "the store could not commit the vote";

    /// <summary>Seconds a client should wait before trying again.</summary>
    public const int RetryAfterSeconds = 1;
}
