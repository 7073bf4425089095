using System.Collections.Concurrent;

namespace Impress.Fhir.Validation.Schemas;

/// <summary>
/// A thread-safe set of string keys that starts afresh when it reaches its bound, so that however many distinct
/// values pass, the memory it takes stays bounded; what recurs is soon in it again.
/// </summary>
internal sealed class BoundedKeySet(int capacity)
{
    private readonly ConcurrentDictionary<string, bool> _keys = new(StringComparer.Ordinal);

    /// <summary>Counted here: the dictionary's own Count takes every one of its locks.</summary>
    private int _count;

    public bool Contains(string key) => _keys.ContainsKey(key);

    public void Add(string key)
    {
        if (Volatile.Read(ref _count) >= capacity)
        {
            lock (_keys)
            {
                if (_count >= capacity)
                {
                    _keys.Clear();
                    Volatile.Write(ref _count, 0);
                }
            }
        }

        if (_keys.TryAdd(key, true))
        {
            Interlocked.Increment(ref _count);
        }
    }
}
