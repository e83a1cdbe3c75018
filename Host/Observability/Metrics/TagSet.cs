using System.Text;

namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// One series' identity: a measurement's tags, sorted by name. Built once, the first time a tag
/// set is seen; after that the hot path finds it from the measurement's tag span without
/// allocating (see <see cref="TagSetComparer"/>). The label text is rendered here too, so a scrape
/// does no escaping for series it has written before.
/// </summary>
internal sealed class TagSet
{
    private readonly KeyValuePair<string, object?>[] _tags;

    private TagSet(KeyValuePair<string, object?>[] tags, int hash, string labels)
    {
        _tags = tags;
        Hash = hash;
        Labels = labels;
    }

    public ReadOnlySpan<KeyValuePair<string, object?>> Tags => _tags;

    /// <summary>Order-independent hash of the tags; the same value <see cref="TagSetComparer"/> computes from a span.</summary>
    public int Hash { get; }

    /// <summary>The label pairs as they appear between braces: <c>peer="a:80",upstream="web"</c>.</summary>
    public string Labels { get; }

    public static TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var sorted = tags.ToArray();

        // Sorted by name so a series reads the same whichever order the caller passed its tags in.
        Array.Sort(sorted, static (a, b) => string.CompareOrdinal(a.Key, b.Key));
        var labels = new StringBuilder();
        foreach (var (name, value) in sorted)
        {
            if (labels.Length > 0)
            {
                labels.Append(',');
            }

            labels.Append(PrometheusText.SanitizeLabelName(name)).Append("=\"");
            PrometheusText.AppendLabelValue(labels, PrometheusText.FormatTagValue(value));
            labels.Append('"');
        }

        return new TagSet(sorted, TagSetComparer.HashOf(tags), labels.ToString());
    }

    /// <summary>True when <paramref name="tags"/>, in any order, are exactly this set's tags.</summary>
    public bool Matches(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.Length != _tags.Length)
        {
            return false;
        }

        // Tag sets are a handful of entries: a nested scan beats sorting or hashing here.
        foreach (var (name, value) in tags)
        {
            if (!Contains(name, value))
            {
                return false;
            }
        }

        return true;
    }

    public bool Matches(TagSet other) => ReferenceEquals(this, other) || (Hash == other.Hash && Matches(other.Tags));

    private bool Contains(string name, object? value)
    {
        foreach (var tag in _tags)
        {
            if (string.Equals(tag.Key, name, StringComparison.Ordinal) && Equals(tag.Value, value))
            {
                return true;
            }
        }

        return false;
    }
}
