using System.Collections;

namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// Headers of a request a content script sends, or of a response it received: names
/// case-insensitive, values as one string (several joined with ", "). Names and values are checked
/// when set: no control characters (CR, LF), so a value can never split a message.
/// </summary>
public sealed class UpstreamHeaders : IScriptHeaders, IEnumerable<KeyValuePair<string, string>>
{
    // Not forwarded from one message to another: they describe one connection (RFC 9110 7.6.1), or
    // the body, whose framing the gateway sets itself.
    private static readonly HashSet<string> s_notEndToEnd = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authenticate", "Proxy-Authorization",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Host", "Content-Length", "Expect",
    };

    private readonly Dictionary<string, string> _values = new(StringComparer.OrdinalIgnoreCase);

    public int Count => _values.Count;

    public IReadOnlyCollection<string> Names => _values.Keys;

    public string? this[string name]
    {
        get => _values.TryGetValue(name, out var value) ? value : null;
        set
        {
            CheckName(name);
            if (value is null)
            {
                _values.Remove(name);
                return;
            }

            CheckValue(value);
            _values[name] = value;
        }
    }

    /// <summary>Whether a header of that name would be forwarded from one message to another.</summary>
    public static bool IsEndToEnd(string name) => !s_notEndToEnd.Contains(name);

    /// <summary>Adds a value (joined to an existing one with ", ").</summary>
    public void Add(string name, string value)
    {
        CheckName(name);
        CheckValue(value);
        _values[name] = _values.TryGetValue(name, out var existing) ? existing + ", " + value : value;
    }

    public bool Contains(string name) => _values.ContainsKey(name);

    public bool Remove(string name) => _values.Remove(name);

    /// <summary>
    /// Copies the end-to-end headers of <paramref name="from"/> (the client's request headers, say):
    /// everything but the hop-by-hop ones, Host and the body's framing.
    /// </summary>
    public UpstreamHeaders CopyEndToEnd(IScriptHeaders from)
    {
        ArgumentNullException.ThrowIfNull(from);
        foreach (var name in from.Names)
        {
            if (IsEndToEnd(name) && from[name] is { } value)
            {
                this[name] = value;
            }
        }

        return this;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _values.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static void CheckName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        foreach (var c in name)
        {
            // RFC 9110 tchar.
            if (!(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c)))
            {
                throw new ArgumentException($"\"{name}\" is not a valid header name.", nameof(name));
            }
        }
    }

    private static void CheckValue(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' and not '\t' or '\x7f')
            {
                throw new ArgumentException("A header value cannot hold control characters (CR, LF).", nameof(value));
            }
        }
    }
}
