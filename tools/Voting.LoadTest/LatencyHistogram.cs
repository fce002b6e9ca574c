using System.Numerics;

namespace Voting.LoadTest;

/// <summary>
/// Log-linear histogram of latencies in microseconds, 1 µs to 60 s: exact below 256 µs, then
/// 128 buckets per power of two, so any recorded value is reported within 0.8%.
/// Single writer (one per worker); merged once the workers are done.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int SubBits = 7;
    private const int SubCount = 1 << SubBits;
    public const long MaxMicros = 60_000_000;
    private static readonly int BucketCount = IndexOf(MaxMicros) + 1;

    private readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }
    public long MaxMicrosSeen { get; private set; }
    public long SumMicros { get; private set; }

    public double MeanMicros => Count == 0 ? 0 : (double)SumMicros / Count;

    public void Record(long micros)
    {
        var value = Math.Clamp(micros, 0, MaxMicros);
        _counts[IndexOf(value)]++;
        Count++;
        SumMicros += micros;
        if (micros > MaxMicrosSeen) MaxMicrosSeen = micros;
    }

    public void Add(LatencyHistogram other)
    {
        for (var i = 0; i < _counts.Length; i++) _counts[i] += other._counts[i];
        Count += other.Count;
        SumMicros += other.SumMicros;
        MaxMicrosSeen = Math.Max(MaxMicrosSeen, other.MaxMicrosSeen);
    }

    /// <summary>The value below which <paramref name="percentile"/> percent of the recorded values fall.</summary>
    public long ValueAtPercentile(double percentile)
    {
        if (Count == 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(percentile / 100.0 * Count));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += _counts[i];
            if (seen >= rank) return Math.Min(HighestInBucket(i), MaxMicrosSeen);
        }
        return MaxMicrosSeen;
    }

    internal static int IndexOf(long micros)
    {
        if (micros < SubCount) return (int)micros;
        var shift = BitOperations.Log2((ulong)micros) - SubBits;
        return SubCount + (shift * SubCount) + (int)((micros >> shift) - SubCount);
    }

    internal static long HighestInBucket(int index)
    {
        if (index < SubCount) return index;
        var shift = (index / SubCount) - 1;
        var low = (long)(SubCount + (index % SubCount)) << shift;
        return low + (1L << shift) - 1;
    }

    /// <summary>The non-empty buckets as (index, count) pairs, to send a histogram between processes.</summary>
    public HistogramData ToData()
    {
        var buckets = new List<long>();
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] == 0) continue;
            buckets.Add(i);
            buckets.Add(_counts[i]);
        }
        return new HistogramData(buckets, Count, SumMicros, MaxMicrosSeen);
    }

    public static LatencyHistogram FromData(HistogramData data)
    {
        var h = new LatencyHistogram { Count = data.Count, SumMicros = data.SumMicros, MaxMicrosSeen = data.MaxMicros };
        for (var i = 0; i + 1 < data.Buckets.Count; i += 2)
        {
            var index = (int)data.Buckets[i];
            if (index >= 0 && index < h._counts.Length) h._counts[index] += data.Buckets[i + 1];
        }
        return h;
    }
}

/// <summary>A histogram on the wire: non-empty buckets as flattened (index, count) pairs.</summary>
internal sealed record HistogramData(IReadOnlyList<long> Buckets, long Count, long SumMicros, long MaxMicros);
