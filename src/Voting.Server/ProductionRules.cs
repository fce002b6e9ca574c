using Voting.Server.Auth;
using Voting.Server.Demo;
using Voting.Server.Infrastructure;
using Voting.Server.Sms;

namespace Voting.Server;

/// <summary>
/// What must hold before a Production server goes on air: each rule names the key that breaks it,
/// and the server refuses to start (the admin and signing keys are required outside Development
/// where their options are registered).
/// </summary>
public static class ProductionRules
{
    public static void AddProductionRules(this IServiceCollection services, IHostEnvironment env)
    {
        if (!env.IsProduction()) return;
        services.AddOptions<AuthOptions>().ValidateRule(o =>
            o.ReturnDevCode == true ? "Auth:ReturnDevCode must not be true in Production (sign-in codes would be returned to the caller)" : null);
        services.AddOptions<DemoOptions>().ValidateRule(o =>
            o.Enabled == true ? "Demo:Enabled must not be true in Production (no demo data on air)" : null);
        services.AddOptions<SmsOptions>().ValidateRule(o => o.WebhookWithoutOutboundUrl());
        // The purchases feature owns its options; here only its test store's switch matters.
        services.AddOptions<TestStoreSwitch>()
            .Configure<IConfiguration>((o, config) => o.Enabled = config.GetValue<bool?>(TestStoreSwitch.Key))
            .ValidateRule(o => o.Enabled == true ? $"{TestStoreSwitch.Key} must not be true in Production (free votes for anyone)" : null)
            .ValidateOnStart();
    }

    private sealed class TestStoreSwitch
    {
        public const string Key = "Purchases:TestStore:Enabled";

        public bool? Enabled { get; set; }
    }
}
