namespace Voting.Server.Tests.Infrastructure;

/// <summary>The requests a fake service received, in order, with a wait for one that matches.</summary>
public sealed class RequestLog<T> : IDisposable where T : notnull
{
    private readonly List<T> _items = [];
    private readonly SemaphoreSlim _arrived = new(0);

    public IReadOnlyList<T> Items
    {
        get
        {
            lock (_items) return [.. _items];
        }
    }

    public void Add(T item)
    {
        lock (_items) _items.Add(item);
        _arrived.Release();
    }

    /// <summary>Waits until at least <paramref name="count"/> requests match (and returns them).</summary>
    public async Task<List<T>> WaitForAsync(Func<T, bool> match, int count = 1, TimeSpan? timeout = null, string? what = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            var found = Items.Where(match).ToList();
            if (found.Count >= count) return found;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"expected {count} request(s) {what}; got: {string.Join("; ", Items.Select(i => i.ToString()))}");
            await _arrived.WaitAsync(left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
        }
    }

    public void Dispose() => _arrived.Dispose();
}
