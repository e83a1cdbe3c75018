namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// One parsed response head: status, the fields to pass on, and what framing and connection
/// management they said. Reused across messages (<see cref="Reset"/>), so its lists do not grow per request.
/// </summary>
internal sealed class Http1ResponseHead
{
    public int StatusCode { get; set; }

    /// <summary>1 for HTTP/1.1, 0 for HTTP/1.0.</summary>
    public int MinorVersion { get; set; }

    /// <summary>The declared Content-Length; -1 when none.</summary>
    public long ContentLength { get; set; } = -1;

    /// <summary>Transfer-Encoding: chunked was sent.</summary>
    public bool Chunked { get; set; }

    /// <summary>The peer asked to close (Connection: close, or HTTP/1.0 without keep-alive).</summary>
    public bool ConnectionClose { get; set; }

    public bool KeepAlive { get; set; }

    public Http1BodyFraming Framing { get; set; }

    /// <summary>Some byte of a response came on this connection for the current request (not cleared by <see cref="Reset"/>, which runs per head).</summary>
    public bool BytesSeen { get; set; }

    /// <summary>Fields in arrival order, names interned where known.</summary>
    public List<KeyValuePair<string, string>> Fields { get; } = new(16);

    // Per field position, the last value's bytes and string: one upstream's responses repeat most
    // values (Content-Type, Server), so a pooled head hands out the same string instead of a new one.
    private readonly List<(byte[] Raw, string Value)> _values = new(16);

    /// <summary>Names the peer's Connection header listed (hop-by-hop, not passed on).</summary>
    public List<string> ConnectionOptions { get; } = new(2);

    /// <summary>Whether the connection may carry another request once this message ended cleanly.</summary>
    public bool Reusable => !ConnectionClose && (MinorVersion == 1 || KeepAlive) && Framing != Http1BodyFraming.CloseDelimited;

    /// <summary>The string of the value at field position <paramref name="index"/>: the previous message's when the bytes match.</summary>
    public string ValueFor(int index, ReadOnlySpan<byte> raw)
    {
        if (index < _values.Count && _values[index].Raw.AsSpan().SequenceEqual(raw))
        {
            return _values[index].Value;
        }

        var value = Http1KnownHeaders.ValueOf(raw);
        if (raw.Length <= 256)
        {
            if (index < _values.Count)
            {
                _values[index] = (raw.ToArray(), value);
            }
            else if (index == _values.Count)
            {
                _values.Add((raw.ToArray(), value));
            }
        }

        return value;
    }

    public bool IsConnectionOption(string name)
    {
        for (var i = 0; i < ConnectionOptions.Count; i++)
        {
            if (string.Equals(ConnectionOptions[i], name, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    public void Reset()
    {
        StatusCode = 0;
        MinorVersion = 0;
        ContentLength = -1;
        Chunked = false;
        ConnectionClose = false;
        KeepAlive = false;
        Framing = Http1BodyFraming.None;
        Fields.Clear();
        ConnectionOptions.Clear();
    }
}
