namespace Slardar.Scriptable.Host.Proxy;

/// <summary>Which forwarding path serves the requests it can (<c>Proxy:Forwarder</c>).</summary>
internal enum ForwarderKind
{
    /// <summary>The purpose-built HTTP/1.1 path (<see cref="Fast.FastTransport"/>); YARP serves what it cannot.</summary>
    Fast,

    /// <summary>YARP for every request.</summary>
    Yarp,
}
