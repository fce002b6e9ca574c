using System.Text;

namespace Voting.LoadTest;

/// <summary>Finds the <c>error_code</c> of a refusal envelope by searching bytes, without a JSON parse.</summary>
internal static class ErrorCode
{
    private static ReadOnlySpan<byte> Key => "\"error_code\""u8;

    public static ReadOnlySpan<byte> Find(ReadOnlySpan<byte> body)
    {
        var at = body.IndexOf(Key);
        if (at < 0) return default;
        var rest = body[(at + Key.Length)..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] != (byte)':') return default;
        rest = rest[1..].TrimStart(" \t\r\n"u8);
        if (rest.IsEmpty || rest[0] != (byte)'"') return default;
        rest = rest[1..];
        var end = rest.IndexOf((byte)'"');
        return end is > 0 and <= 64 ? rest[..end] : default;
    }
}

/// <summary>Counts refusals by status and error code; a handful of distinct codes, so a list beats a dictionary.</summary>
internal sealed class RefusalTally
{
    private const int MaxDistinct = 64;
    private readonly List<Entry> _entries = [];

    public void Record(int status, ReadOnlySpan<byte> code)
    {
        foreach (var entry in _entries)
        {
            if (entry.Status == status && entry.Utf8.AsSpan().SequenceEqual(code))
            {
                entry.Count++;
                return;
            }
        }
        if (_entries.Count >= MaxDistinct) code = "OTHER"u8;
        _entries.Add(new Entry(status, code.ToArray()) { Count = 1 });
    }

    public IEnumerable<Refusal> Snapshot() =>
        _entries.Select(e => new Refusal(e.Status, e.Utf8.Length == 0 ? "(no error_code)" : Encoding.UTF8.GetString(e.Utf8), e.Count));

    private sealed class Entry(int status, byte[] utf8)
    {
        public int Status { get; } = status;
        public byte[] Utf8 { get; } = utf8;
        public long Count { get; set; }
    }
}

internal sealed record Refusal(int Status, string ErrorCode, long Count);
