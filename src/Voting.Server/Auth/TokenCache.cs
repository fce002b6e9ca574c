using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;

namespace Voting.Server.Auth;

/// <summary>
/// Remembers access tokens whose signature and claims were already validated, until they
/// expire, so a viewer's hundred votes a minute cost one signature check rather than a hundred.
/// Keyed by the exact token string; bounded; cleared when full.
/// </summary>
public sealed class TokenCache(TimeProvider time)
{
    private const int Capacity = 200_000;
    private readonly ConcurrentDictionary<string, (ClaimsPrincipal Principal, DateTimeOffset Expires)> _tokens = new(StringComparer.Ordinal);

    public JwtBearerEvents Attach(JwtBearerEvents events)
    {
        events.OnMessageReceived = ctx =>
        {
            var header = ctx.Request.Headers.Authorization.ToString();
            if (header.StartsWith("Bearer ", StringComparison.Ordinal)
                && _tokens.TryGetValue(header[7..], out var hit))
            {
                if (hit.Expires > time.GetUtcNow())
                {
                    ctx.Principal = hit.Principal;
                    ctx.Success();
                }
                else _tokens.TryRemove(header[7..], out _);
            }
            return Task.CompletedTask;
        };
        events.OnTokenValidated = ctx =>
        {
            if (ctx.Principal is { } principal && ctx.SecurityToken is { } token
                && ctx.Request.Headers.Authorization.ToString() is { Length: > 7 } header)
            {
                if (_tokens.Count >= Capacity) _tokens.Clear();
                _tokens[header[7..]] = (principal, new DateTimeOffset(token.ValidTo, TimeSpan.Zero));
            }
            return Task.CompletedTask;
        };
        return events;
    }
}
