using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Slardar.Scriptable.Host.Hosting;

/// <summary>The addresses the proxy and admin listeners are bound to, read when asked (port 0 is resolved by then).</summary>
internal sealed class GatewayListeners(IServer proxy, IServer admin)
{
    public IReadOnlyList<string> Proxy => Addresses(proxy);

    public IReadOnlyList<string> Admin => Addresses(admin);

    public static string[] Addresses(IServer server) =>
        [.. server.Features.Get<IServerAddressesFeature>()?.Addresses ?? []];
}
