using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using Voting.Server.Infrastructure;
using Voting.Server.Show;
using Voting.Server.Sms;
using Voting.Storage;

namespace Voting.Server.Demo;

/// <summary>
/// Development only: the broadcast signals' secret and each carrier's webhook credential, when not
/// configured, are generated once and kept in the store (as the development signing key is), so
/// every feature of the demo can be tried with the curl line printed at start. They are written
/// into the bound options, the one place every reader takes them from, before the server listens.
/// </summary>
public sealed class DevelopmentSecrets(IAuthStore store, IOptions<BroadcastOptions> broadcast, IOptions<SmsOptions> sms, StartupNotes notes)
    : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var o = sms.Value;
        if (o.Smart is { Enabled: true, Secret: null or "" } smart)
        {
            smart.Secret = await SecretAsync("dev_sms_smart_secret", cancellationToken);
            notes.TryIt("a text to Smart's webhook (Sms:Smart:Secret generated for Development)", url => TryItCommands.Smart(url, o.ShortCode, smart.Secret));
        }
        if (o.Cellcard is { Enabled: true, ApiToken: null or "" } cellcard)
        {
            cellcard.ApiToken = await SecretAsync("dev_sms_cellcard_token", cancellationToken);
            notes.TryIt("a text to Cellcard's webhook (Sms:Cellcard:ApiToken generated for Development)", url => TryItCommands.Cellcard(url, o.ShortCode, cellcard.ApiToken));
        }
        if (o.Metfone is { Enabled: true, ApiKey: null or "" } metfone)
        {
            metfone.ApiKey = await SecretAsync("dev_sms_metfone_key", cancellationToken);
            notes.TryIt("a text to Metfone's webhook (Sms:Metfone:ApiKey generated for Development)", url => TryItCommands.Metfone(url, o.ShortCode, metfone.ApiKey));
        }
        var b = broadcast.Value;
        if (string.IsNullOrEmpty(b.SigningSecret))
        {
            b.SigningSecret = await SecretAsync("dev_broadcast_secret", cancellationToken);
            notes.TryIt("a broadcast signal, after the texts: it closes the demo episode's voting (Broadcast:SigningSecret generated for Development)", url => TryItCommands.Signal(url, b.SigningSecret));
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private Task<string> SecretAsync(string key, CancellationToken ct) =>
        store.GetOrAddSettingAsync(key, Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24)), ct);
}
