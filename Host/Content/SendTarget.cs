using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Content;

/// <summary>Where one content call goes: a peer of an upstream (with its TLS and connect settings), or a trusted host's absolute URL.</summary>
/// <param name="Upstream">The upstream the peer belongs to; null for an absolute URL.</param>
/// <param name="Peer">The peer as the script knows it; null for an absolute URL.</param>
/// <param name="Http2">The upstream's <c>"http2"</c>: the call goes as HTTP/2, exactly, as proxied requests do.</param>
internal readonly record struct SendTarget(string Host, int Port, bool Https, UpstreamTlsConfig? Tls, TimeSpan ConnectTimeout, string? Upstream, Peer? Peer, bool Http2 = false)
{
    /// <summary>The Host header a request gets unless the script sets one: the host, with the port when it is not the scheme's.</summary>
    public string DefaultHostHeader => Port == (Https ? 443 : 80) ? Host : $"{Host}:{Port}";
}
