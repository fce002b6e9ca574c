using Microsoft.Extensions.Options;

namespace Voting.Storage;

/// <summary>Refuses to start on storage settings that cannot work; each failure names its configuration key.</summary>
public sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var failures = new List<string>();
        if (StorageProviders.TryParse(options.Provider) is null) failures.Add(StorageProviders.Invalid(options.Provider));
        if (string.IsNullOrWhiteSpace(options.ConnectionString)) failures.Add("ConnectionStrings:Voting must not be empty");
        if (options.TallyShard < 0) failures.Add($"Storage:TallyShard must be 0 or more, not {options.TallyShard}");
        if (options.TallyLanes is < 1 or > Sql.TallyLanes.PerProcess)
            failures.Add($"Storage:TallyLanes must be 1 to {Sql.TallyLanes.PerProcess}, not {options.TallyLanes}");
        if (string.IsNullOrWhiteSpace(options.NodeName) || options.NodeName.Length > 200)
            failures.Add("Storage:NodeName must be 1 to 200 characters");
        if (options.DefaultSmsPriceCents < 0) failures.Add("Storage:DefaultSmsPriceCents must be 0 or more");
        foreach (var (carrier, cents) in options.SmsPriceCents)
        {
            if (cents < 0) failures.Add($"Sms:{carrier}:PricePerVote must be 0 or more");
        }
        if (options.SmsCurrency is not { Length: 3 }) failures.Add("Storage:SmsCurrency must be a three-letter currency code");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
