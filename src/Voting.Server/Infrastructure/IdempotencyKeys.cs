namespace Voting.Server.Infrastructure;

/// <summary>The <c>Idempotency-Key</c> header's rule: 1 to 64 printable ASCII characters.</summary>
public static class IdempotencyKeys
{
    public static bool IsValid(string key) => key.Length is >= 1 and <= 64 && key.All(ch => ch is >= ' ' and <= '~');
}
