using System.ComponentModel.DataAnnotations;

namespace Voting.Server.Auth;

public sealed class AuthOptions
{
    /// <summary>HMAC-SHA256 key for access tokens (at least 32 bytes). Required outside Development.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Whether /auth/otp returns the code as data.dev_code. Defaults to true in Development only.</summary>
    public bool? ReturnDevCode { get; set; }

    [Range(30, 3600)]
    public int CodeLifetimeSeconds { get; set; } = 300;
    [Range(1, 100)]
    public int CodesPerPhonePerHour { get; set; } = 5;
    /// <summary>Codes per client address per hour: generous, as Cambodian carriers put many phones behind one NAT address.</summary>
    [Range(1, 100_000_000)]
    public int CodesPerIpPerHour { get; set; } = 200;
    /// <summary>Codes per block of 10,000 numbers (the number without its last four digits) per hour.</summary>
    [Range(1, 100_000_000)]
    public int CodesPerPrefixPerHour { get; set; } = 1_000;
    [Range(1, 20)]
    public int MaxCodeAttempts { get; set; } = 5;
    [Range(60, 2_592_000)]
    public int TokenLifetimeSeconds { get; set; } = 86_400;
}
