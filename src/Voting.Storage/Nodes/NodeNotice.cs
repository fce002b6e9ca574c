using Voting.Domain;

namespace Voting.Storage;

public enum NodeNoticeKind
{
    /// <summary>An episode's show moved (state, performer, window): re-read it.</summary>
    ShowChanged,

    /// <summary>Votes were committed for an episode: re-read its tallies.</summary>
    ResultsChanged,
}

/// <summary>A change one node tells the others about.</summary>
public readonly record struct NodeNotice(NodeNoticeKind Kind, EpisodeId Episode);
