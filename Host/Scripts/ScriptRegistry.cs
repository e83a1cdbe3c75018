using System.Collections.Frozen;
using Slardar.Scriptable.Host.Routing;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// The scripts that serve, by host pattern, as one immutable snapshot swapped atomically: a request
/// reads the snapshot once, so it runs every phase on the generations it started with.
/// </summary>
internal sealed class ScriptRegistry
{
    private readonly Lock _swapLock = new();
    private volatile Snapshot _current = new(FrozenDictionary<string, HostScriptSet>.Empty);

    /// <summary>The scripts for <paramref name="host"/>: exact pattern, then the most specific wildcard, then <c>_</c>.</summary>
    public HostScriptSet? Find(string host) => _current.ByHost.Find(host);

    public IReadOnlyDictionary<string, HostScriptSet> ByPattern => _current.ByPattern;

    public ActiveScript? Get(ScriptKey key) => _current.ByPattern.TryGetValue(key.Pattern, out var set) ? set[key.Phase] : null;

    /// <summary>Publishes <paramref name="next"/> (null unbinds) and returns what it replaced, for the caller to retire.</summary>
    public ActiveScript? Swap(ScriptKey key, ActiveScript? next)
    {
        lock (_swapLock)
        {
            var all = new Dictionary<string, HostScriptSet>(_current.ByPattern, StringComparer.OrdinalIgnoreCase);
            var set = all.GetValueOrDefault(key.Pattern) ?? HostScriptSet.Empty;
            var previous = set[key.Phase];
            set = set.With(key.Phase, next);
            if (set.IsEmpty)
            {
                all.Remove(key.Pattern);
            }
            else
            {
                all[key.Pattern] = set;
            }

            _current = new Snapshot(all.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
            return previous;
        }
    }

    /// <summary>Publishes every change of <paramref name="changes"/> in one snapshot (a request sees all or none); returns what they replaced.</summary>
    public IReadOnlyList<ActiveScript> SwapAll(IReadOnlyCollection<ActiveScript> changes)
    {
        lock (_swapLock)
        {
            var all = new Dictionary<string, HostScriptSet>(_current.ByPattern, StringComparer.OrdinalIgnoreCase);
            var previous = new List<ActiveScript>(changes.Count);
            foreach (var next in changes)
            {
                var set = all.GetValueOrDefault(next.Key.Pattern) ?? HostScriptSet.Empty;
                if (set[next.Key.Phase] is { } replaced)
                {
                    previous.Add(replaced);
                }

                all[next.Key.Pattern] = set.With(next.Key.Phase, next);
            }

            _current = new Snapshot(all.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase));
            return previous;
        }
    }

    private sealed class Snapshot
    {
        public Snapshot(FrozenDictionary<string, HostScriptSet> byPattern)
        {
            ByPattern = byPattern;
            ByHost = new HostPatternMap<HostScriptSet>(byPattern);
        }

        public FrozenDictionary<string, HostScriptSet> ByPattern { get; }

        public HostPatternMap<HostScriptSet> ByHost { get; }
    }
}
