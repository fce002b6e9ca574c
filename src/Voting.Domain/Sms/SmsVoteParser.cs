using System.Text;

namespace Voting.Domain.Sms;

/// <summary>
/// Turns the text of a premium SMS into a vote for the open episode's line-up. Pure: the same text
/// and line-up always give the same result.
/// </summary>
/// <remarks>
/// After normalization (see below) and ignoring case, the accepted forms are
/// <list type="bullet">
/// <item><c>VOTE 3</c>, <c>V 3</c>, <c>V3</c>, <c>VOTE3</c>: ballot 3, one vote;</item>
/// <item>the same followed by a count, <c>VOTE 3 5</c>, <c>V3 5</c>, <c>V 3 5</c>: five votes,
/// capped at <see cref="MaxVotesPerSms"/> (the count after <c>V</c> is taken because the issue
/// lists <c>V3</c> as a short <c>VOTE 3</c>, and the short form should not lose what the long one
/// can say);</item>
/// <item><c>3</c> alone: ballot 3, one vote. A bare <c>3 5</c> is refused: without the keyword it
/// might as well mean "3 and 5", and a misread costs the texter money;</item>
/// <item><c>VOTE Sophea</c>, <c>VOTE sophea chan</c>, <c>VOTE ចាន់ សុភា</c>, optionally followed by
/// a count (<c>VOTE Sophea 5</c>): the one contestant whose Latin or Khmer name matches (an exact
/// name, else a whole word, else a substring). A name needs <c>VOTE</c> before it: a bare name,
/// or <c>V Sophea</c>, is refused, so a stray message never becomes a paid vote.</item>
/// </list>
/// Normalization: NFKC and a full-width fold (<c>ＶＯＴＥ　３</c> is <c>VOTE 3</c>), digits of any script
/// as ASCII digits (Khmer <c>VOTE ៣</c> is <c>VOTE 3</c>), whitespace runs and zero-width spaces as
/// one space, trimmed. Numbers may have leading zeros (<c>VOTE 03</c> is ballot 3).
/// Anything else, a ballot or count of 0, a sign, or words after a number is
/// <see cref="SmsRefusal.InvalidFormat"/>. Words after a name cannot be told apart from the name,
/// so <c>VOTE Sophea please</c> is <see cref="SmsRefusal.UnknownContestant"/>.
/// </remarks>
public static class SmsVoteParser
{
    /// <summary>The help reply to a text that is not in an accepted form.</summary>
    public const string InvalidFormatReply = "Invalid format. Send VOTE <number> to 1255";

    /// <summary>Most votes one text can carry; larger counts are lowered to it.</summary>
    public const int MaxVotesPerSms = 10;

    private static readonly SmsRefused Invalid = new(SmsRefusal.InvalidFormat);
    private static readonly SmsRefused Unknown = new(SmsRefusal.UnknownContestant);

    /// <summary>Reads <paramref name="text"/> as a vote for a contestant of <paramref name="lineup"/>.</summary>
    /// <param name="text">The message as the carrier delivered it; null or blank is refused.</param>
    /// <param name="lineup">The open episode's line-up; ballot numbers are unique in it.</param>
    public static SmsParseResult Parse(string? text, IReadOnlyList<SmsLineupEntry> lineup)
    {
        ArgumentNullException.ThrowIfNull(lineup);
        if (text is null || SmsText.Normalize(text) is not { Length: > 0 } clean) return Invalid;
        var words = clean.Split(' ');
        var head = words[0];
        var rest = words.AsSpan(1);
        if (head.Equals("VOTE", StringComparison.OrdinalIgnoreCase))
        {
            if (rest.IsEmpty) return Invalid;
            if (SmsText.IsDigits(rest[0])) return ByBallot(rest[0], rest[1..], lineup);
            return Rune.IsLetter(Rune.GetRuneAt(rest[0], 0)) ? ByName(rest, lineup) : Invalid;
        }
        if (head.Equals("V", StringComparison.OrdinalIgnoreCase))
            return !rest.IsEmpty && SmsText.IsDigits(rest[0]) ? ByBallot(rest[0], rest[1..], lineup) : Invalid;
        if (GluedBallot(head) is { } ballot) return ByBallot(ballot, rest, lineup);
        return rest.IsEmpty && SmsText.IsDigits(head) ? ByBallot(head, [], lineup) : Invalid;
    }

    // "VOTE3" and "V3": the digits written straight after the keyword.
    private static string? GluedBallot(string word)
    {
        foreach (var keyword in (ReadOnlySpan<string>)["VOTE", "V"])
        {
            if (word.Length > keyword.Length && word.StartsWith(keyword, StringComparison.OrdinalIgnoreCase)
                && SmsText.IsDigits(word[keyword.Length..]))
                return word[keyword.Length..];
        }
        return null;
    }

    private static SmsParseResult ByBallot(string digits, ReadOnlySpan<string> after, IReadOnlyList<SmsLineupEntry> lineup)
    {
        var count = 1;
        if (after.Length > 1 || (after.Length == 1 && !TryCount(after[0], out count))) return Invalid;
        var ballot = SmsText.ToNumber(digits);
        if (ballot == 0) return Invalid;
        foreach (var entry in lineup)
        {
            if (entry.BallotNumber == ballot) return new SmsVote(entry.Contestant, ballot, count);
        }
        return Unknown;
    }

    private static SmsParseResult ByName(ReadOnlySpan<string> words, IReadOnlyList<SmsLineupEntry> lineup)
    {
        var count = 1;
        if (words.Length > 1 && SmsText.IsDigits(words[^1]))
        {
            if (!TryCount(words[^1], out count)) return Invalid;
            words = words[..^1];
        }
        return SmsNameMatcher.Match(string.Join(' ', words), lineup, count);
    }

    private static bool TryCount(string word, out int count)
    {
        count = SmsText.IsDigits(word) ? Math.Min(SmsText.ToNumber(word), MaxVotesPerSms) : 0;
        return count > 0;
    }
}
