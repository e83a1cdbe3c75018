namespace Slardar.Scriptable.Scripting.Api;

/// <summary>One server of an upstream.</summary>
public sealed record Peer(string Host, int Port)
{
    /// <summary>"host:port", as access logs and nginx's $upstream_addr write it.</summary>
    public override string ToString() => $"{Host}:{Port}";
}
