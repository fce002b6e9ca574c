namespace Voting.Domain.Phones;

/// <summary>Wire names of carriers: lower case, as configuration sections, webhook paths and stored rows spell them.</summary>
public static class CarrierNames
{
    /// <summary>The carriers that deliver premium SMS, in wire order.</summary>
    public static readonly IReadOnlyList<Carrier> Billing = [Carrier.Smart, Carrier.Cellcard, Carrier.Metfone];

    /// <summary>"smart", "cellcard", "metfone" or "unknown".</summary>
    public static string ToWire(this Carrier carrier) => carrier switch
    {
        Carrier.Smart => "smart",
        Carrier.Cellcard => "cellcard",
        Carrier.Metfone => "metfone",
        _ => "unknown",
    };

    /// <summary>Parses a wire name, ignoring case; <see cref="Carrier.Unknown"/> for anything else.</summary>
    public static Carrier FromWire(string? name) => name?.ToUpperInvariant() switch
    {
        "SMART" => Carrier.Smart,
        "CELLCARD" => Carrier.Cellcard,
        "METFONE" => Carrier.Metfone,
        _ => Carrier.Unknown,
    };
}
