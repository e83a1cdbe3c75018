namespace Slardar.Scriptable.Host.Checkups;

/// <summary>Without Consul: upstreams must list their servers.</summary>
internal sealed class NoServicePeers : IServicePeerSource
{
    public string? Unavailable => "consul_service needs Consul: set Consul:Address";

    public event Action<string>? PeersChanged
    {
        add { }
        remove { }
    }

    public UpstreamConfig Resolve(UpstreamConfig config) => config;

    public void Release(string upstream)
    {
    }
}
