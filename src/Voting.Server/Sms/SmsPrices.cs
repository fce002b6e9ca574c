using Microsoft.Extensions.Options;
using Voting.Domain.Phones;
using Voting.Storage;

namespace Voting.Server.Sms;

/// <summary>The price of a carrier-billed vote, configured per carrier in USD and charged by the store in cents.</summary>
public static class SmsPrices
{
    public static IServiceCollection AddSmsPrices(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().Configure<IOptions<SmsOptions>>((storage, sms) =>
        {
            foreach (var carrier in CarrierNames.Billing)
            {
                if (sms.Value.For(carrier).PricePerVote is { } price)
                    storage.SmsPriceCents[carrier.ToWire()] = (long)Math.Round(price * 100m);
            }
        });
        return services;
    }
}
