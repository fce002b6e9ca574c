using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace Voting.Server.Infrastructure;

/// <summary>
/// The reverse proxies in front of the server (<c>Proxy</c>): only from these addresses are
/// <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c> believed, so votes record the viewer's address and
/// the limits per client address see viewers, not the proxy. None configured: the headers are ignored
/// (anyone could send them).
/// </summary>
public sealed class ProxyOptions
{
    /// <summary>Proxy addresses, e.g. 10.0.0.5 or ::1.</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Proxy networks in CIDR, e.g. 10.0.0.0/24.</summary>
    public string[] KnownNetworks { get; set; } = [];

    public bool IsConfigured => KnownProxies.Length > 0 || KnownNetworks.Length > 0;
}

public static class ProxyServices
{
    public static IServiceCollection AddKnownProxies(this IServiceCollection services)
    {
        services.AddValidatedOptions<ProxyOptions>("Proxy").ValidateRule(o =>
        {
            var bad = o.KnownProxies.Select((p, i) => (p, i)).FirstOrDefault(x => !IPAddress.TryParse(x.p, out _));
            if (bad.p is not null) return $"Proxy:KnownProxies:{bad.i} is not an IP address";
            var net = o.KnownNetworks.Select((n, i) => (n, i)).FirstOrDefault(x => !System.Net.IPNetwork.TryParse(x.n, out _));
            return net.n is not null ? $"Proxy:KnownNetworks:{net.i} is not a network in CIDR notation" : null;
        });
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((o, proxies) =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Only the configured proxies: not the framework's loopback default.
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var p in proxies.Value.KnownProxies) o.KnownProxies.Add(IPAddress.Parse(p));
            foreach (var n in proxies.Value.KnownNetworks) o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(n));
            // One hop: the address the nearest known proxy saw.
            o.ForwardLimit = 1;
        });
        return services;
    }

    public static IApplicationBuilder UseKnownProxies(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ProxyOptions>>().Value.IsConfigured) app.UseForwardedHeaders();
        return app;
    }
}
