using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Extensions;

namespace Slardar.Scriptable.Host.Routing;

/// <summary>
/// <c>"https_redirect": true</c> on a host binding: a plain-http request for that host is answered
/// 301 to the same host, path and query over https, before any limit or script runs (nginx's
/// <c>return 301 https://$host$request_uri</c>). The port is the proxy's first https:// listener's
/// (omitted when 443, or when there is none: TLS is then terminated in front of the gateway).
/// </summary>
internal sealed class HttpsRedirect
{
    private const int DefaultHttpsPort = 443;

    private readonly IServer _server;

    // Read from the bound addresses on first use (port 0 is resolved only once the listener is up); 0 = not yet.
    private int _port;

    public HttpsRedirect(IServer server) => _server = server;

    /// <summary>Answers the redirect when the binding asks for it and the request is plain http.</summary>
    /// <returns>Whether the request was answered.</returns>
    public bool TryAnswer(HttpContext context, HostBinding? binding)
    {
        if (binding is not { HttpsRedirect: true } || context.Request.IsHttps || !context.Request.Host.HasValue)
        {
            return false;
        }

        var port = _port == 0 ? _port = HttpsPort(_server) : _port;
        var request = context.Request;
        var host = port == DefaultHttpsPort ? new HostString(request.Host.Host) : new HostString(request.Host.Host, port);
        var response = context.Response;
        response.StatusCode = StatusCodes.Status301MovedPermanently;
        response.Headers.Location = UriHelper.BuildAbsolute(Uri.UriSchemeHttps, host, request.PathBase, request.Path, request.QueryString);
        response.ContentLength = 0;
        return true;
    }

    private static int HttpsPort(IServer server)
    {
        foreach (var address in server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [])
        {
            if (address.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                && Uri.TryCreate(address.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri))
            {
                return uri.Port;
            }
        }

        return DefaultHttpsPort;
    }
}
