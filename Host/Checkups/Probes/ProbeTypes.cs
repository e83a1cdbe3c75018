using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>The checkups heartbeat type names (<c>typ</c>).</summary>
internal static class ProbeTypes
{
    /// <summary>TCP connect only; checkups' default type.</summary>
    public const string General = "general";

    public const string Http = "http";

    public const string Redis = "redis";

    public const string Mysql = "mysql";

    public static readonly ImmutableArray<string> All = [General, Http, Redis, Mysql];
}
