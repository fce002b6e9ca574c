namespace Voting.Domain;

/// <summary>Identifies a viewer who votes.</summary>
public readonly record struct VoterId(long Value)
{
    /// <inheritdoc/>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Identifies an episode of a season.</summary>
public readonly record struct EpisodeId(long Value)
{
    /// <inheritdoc/>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Identifies a contestant across episodes.</summary>
public readonly record struct ContestantId(long Value)
{
    /// <inheritdoc/>
    public override string ToString() => Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
