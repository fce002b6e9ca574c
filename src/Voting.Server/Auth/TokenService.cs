using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Voting.Domain;

namespace Voting.Server.Auth;

/// <summary>Issues viewers' access tokens (JWT, HMAC-SHA256).</summary>
public sealed class TokenService(SigningKeys keys, IOptions<AuthOptions> options, TimeProvider time)
{
    public const string Issuer = "xfactor-voting";
    public const string Audience = "xfactor-voting-app";
    private readonly JsonWebTokenHandler _handler = new();

    public string Issue(VoterId voter)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", voter.ToString())]),
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddSeconds(options.Value.TokenLifetimeSeconds),
            SigningCredentials = new SigningCredentials(keys.Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
