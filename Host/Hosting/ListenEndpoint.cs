using System.Globalization;
using System.Net;

namespace Slardar.Scriptable.Host.Hosting;

/// <summary>One listener URL taken apart for Kestrel's <c>Listen*</c> calls: scheme, address and port.</summary>
internal sealed record ListenEndpoint(bool Tls, string Host, int Port)
{
    /// <summary>Parses a URL that <see cref="ListenUrls.Parse"/> has already accepted.</summary>
    public static ListenEndpoint Parse(string url)
    {
        var probe = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
        var uri = new Uri(probe);
        var wildcard = url.Contains("://*", StringComparison.Ordinal) || url.Contains("://+", StringComparison.Ordinal);
        return new ListenEndpoint(uri.Scheme == Uri.UriSchemeHttps, wildcard ? "*" : uri.Host, uri.Port);
    }

    /// <summary>Kestrel's reading of a URL host: an IP literal binds that address, localhost both loopbacks, anything else every address.</summary>
    public void Bind(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, Action<Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions> configure)
    {
        if (IPAddress.TryParse(Host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, Port, configure);
        }
        else if (string.Equals(Host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            kestrel.ListenLocalhost(Port, configure);
        }
        else
        {
            kestrel.ListenAnyIP(Port, configure);
        }
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{(Tls ? "https" : "http")}://{Host}:{Port}");
}
