using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Voting.Server.Infrastructure;

/// <summary>
/// Operator endpoints need X-Api-Key: one of the named keys, compared in constant time. The key's
/// name goes on the request (<see cref="OperatorName"/>) for the audit log.
/// </summary>
public sealed class ApiKeyFilter : IEndpointFilter
{
    private readonly (string Name, byte[] Hash)[] _keys;

    public ApiKeyFilter(IOptions<AdminOptions> options, IHostEnvironment env)
    {
        var operators = options.Value.Operators();
        // The Development fallback only while nothing is configured: a configured key retires it.
        if (operators.Count == 0 && env.IsDevelopment()) operators = [(AdminOptions.SingleKeyName, AdminOptions.DevelopmentKey)];
        _keys = [.. operators.Select(o => (o.Name, SHA256.HashData(Encoding.UTF8.GetBytes(o.Key))))];
    }

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var given = context.HttpContext.Request.Headers["X-Api-Key"].ToString();
        if (given.Length > 0 && Match(SHA256.HashData(Encoding.UTF8.GetBytes(given))) is { } name)
        {
            OperatorName.Set(context.HttpContext, name);
            return next(context);
        }
        return ValueTask.FromResult<object?>(Api.Unauthorized("A valid X-Api-Key is required"));
    }

    /// <summary>
    /// Hashes are compared, so each comparison takes the same time whatever the lengths; every key is
    /// compared, so the time does not say which key (or how many) came before the match.
    /// </summary>
    private string? Match(byte[] hash)
    {
        string? name = null;
        foreach (var key in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, key.Hash)) name = key.Name;
        }
        return name;
    }
}

/// <summary>The operator whose key a request carried, as <see cref="ApiKeyFilter"/> found it.</summary>
public static class OperatorName
{
    private static readonly object Key = new();

    public static void Set(HttpContext http, string name) => http.Items[Key] = name;

    /// <summary>The operator's name; null on a request that did not pass the operator filter.</summary>
    public static string? Of(HttpContext http) => http.Items.TryGetValue(Key, out var name) ? name as string : null;
}
