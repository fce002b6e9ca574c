using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Voting.Server.Infrastructure;

/// <summary>Operator endpoints need X-Api-Key; compared in constant time.</summary>
public sealed class ApiKeyFilter(IOptions<AdminOptions> options) : IEndpointFilter
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.ApiKey ?? AdminOptions.DevelopmentKey);

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var given = context.HttpContext.Request.Headers["X-Api-Key"].ToString();
        // Hash both sides so the comparison takes the same time whatever the lengths.
        var ok = given.Length > 0 && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(_key));
        return ok ? next(context) : ValueTask.FromResult<object?>(Api.Unauthorized("A valid X-Api-Key is required"));
    }
}
