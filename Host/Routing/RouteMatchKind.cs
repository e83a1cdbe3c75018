namespace Slardar.Scriptable.Host.Routing;

/// <summary>Which rule chose the upstream; logged and shown so operators can see why a host went where it did.</summary>
internal enum RouteMatchKind
{
    None,
    ExactBinding,
    NamedUpstream,
    WildcardBinding,
    DefaultBinding,
}
