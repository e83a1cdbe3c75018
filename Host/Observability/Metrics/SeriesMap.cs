using System.Collections.Concurrent;

namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// The series of one instrument, keyed by tag set. Lookups go through the tag span (no allocation);
/// a cell and its <see cref="TagSet"/> are created only the first time a tag set is seen.
/// </summary>
internal sealed class SeriesMap<TCell>
    where TCell : class
{
    private readonly ConcurrentDictionary<TagSet, TCell> _series = new(TagSetComparer.Instance);
    private readonly ConcurrentDictionary<TagSet, TCell>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _lookup;
    private readonly Func<TCell> _create;

    public SeriesMap(Func<TCell> create)
    {
        _create = create;
        _lookup = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
    }

    public bool IsEmpty => _series.IsEmpty;

    public TCell GetOrAdd(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        while (true)
        {
            if (_lookup.TryGetValue(tags, out var cell))
            {
                return cell;
            }

            // Racing first sightings: one cell wins and the others retry the lookup and use it.
            var created = _create();
            if (_lookup.TryAdd(tags, created))
            {
                return created;
            }
        }
    }

    public void Clear() => _series.Clear();

    /// <summary>A snapshot ordered by label text, so a scrape lists series in a stable order.</summary>
    public List<KeyValuePair<TagSet, TCell>> Snapshot()
    {
        var series = _series.ToList();
        series.Sort(static (a, b) => string.CompareOrdinal(a.Key.Labels, b.Key.Labels));
        return series;
    }
}
