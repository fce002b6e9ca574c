using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Voting.Storage.Postgres;
using Voting.Storage.Sqlite;

namespace Voting.Storage;

/// <summary>The one place that picks the store and the node coordination, from <c>Storage:Provider</c>.</summary>
public static class StorageServices
{
    /// <summary>The key of the pool whose connections hold session state (the node coordination's).</summary>
    public const string SessionsDataSource = "sessions";

    /// <summary>
    /// Registers <see cref="StorageOptions"/> (section <c>Storage</c>, connection string
    /// <c>ConnectionStrings:Voting</c>, validated at start), one store serving the aggregate and
    /// every feature's contract, and the <see cref="INodeCoordination"/> of the provider. On
    /// PostgreSQL the store has the process's <see cref="NpgsqlDataSource"/> and the coordination a
    /// small pool of its own, keyed <see cref="SessionsDataSource"/> (<see cref="PostgresDataSource.CreateForSessions"/>).
    /// </summary>
    public static IServiceCollection AddVotingStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<StorageOptions>().Configure(o =>
        {
            configuration.GetSection("Storage").Bind(o);
            o.ConnectionString = configuration.GetConnectionString("Voting") ?? o.ConnectionString;
            if (configuration["Storage:TallyShard"] is null) o.TallyShard = Environment.ProcessId % 16;
        }).ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();

        switch (StorageProviders.Parse(configuration["Storage:Provider"] ?? new StorageOptions().Provider))
        {
            case StorageProvider.Postgres:
                services.AddSingleton(sp => PostgresDataSource.Create(Options(sp).ConnectionString));
                services.AddSingleton<IVotingStore>(sp => new PostgresVotingStore(Options(sp), sp.GetRequiredService<NpgsqlDataSource>(), Time(sp)));
                services.AddKeyedSingleton(SessionsDataSource, (sp, _) => PostgresDataSource.CreateForSessions(Options(sp).ConnectionString));
                services.AddSingleton<INodeCoordination>(sp =>
                    new PostgresNodeCoordination(sp.GetRequiredKeyedService<NpgsqlDataSource>(SessionsDataSource), Options(sp).NodeName));
                break;
            case StorageProvider.Sqlite:
                services.AddSingleton<IVotingStore>(sp => new SqliteVotingStore(Options(sp), Time(sp)));
                services.AddSingleton<INodeCoordination, SingleNodeCoordination>();
                break;
        }

        services.AddSingleton<IVoteStore>(Store);
        services.AddSingleton<IVoterStore>(Store);
        services.AddSingleton<ICatalogStore>(Store);
        services.AddSingleton<IAuthStore>(Store);
        services.AddSingleton<IWalletStore>(Store);
        services.AddSingleton<IResultsStore>(Store);
        services.AddSingleton<IShowStore>(Store);
        services.AddSingleton<ISmsStore>(Store);
        services.AddSingleton<IOutboxStore>(Store);
        services.AddSingleton<IStoreHealth>(Store);
        services.AddSingleton<IVoidStore>(Store);
        services.AddSingleton<IPushStore>(Store);
        services.AddSingleton<IPurchaseStore>(Store);
        services.AddSingleton<IProfileStore>(Store);
        services.AddSingleton<Fraud.IFraudStore>(Store);
        services.AddSingleton<IExportStore>(Store);
        services.AddSingleton<IAuditStore>(Store);
        services.AddSingleton<IAnalyticsStore>(Store);
        return services;
    }

    private static IVotingStore Store(IServiceProvider sp) => sp.GetRequiredService<IVotingStore>();

    private static StorageOptions Options(IServiceProvider sp) => sp.GetRequiredService<IOptions<StorageOptions>>().Value;

    private static TimeProvider Time(IServiceProvider sp) => sp.GetRequiredService<TimeProvider>();
}
