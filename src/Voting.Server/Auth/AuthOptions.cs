namespace Voting.Server.Auth;

public sealed class AuthOptions
{
    /// <summary>HMAC-SHA256 key for access tokens (at least 32 bytes). Required outside Development.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Whether /auth/otp returns the code as data.dev_code. Defaults to true in Development only.</summary>
    public bool? ReturnDevCode { get; set; }

    public int CodeLifetimeSeconds { get; set; } = 300;
    public int CodesPerPhonePerHour { get; set; } = 5;
    public int MaxCodeAttempts { get; set; } = 5;
    public int TokenLifetimeSeconds { get; set; } = 86_400;
}
