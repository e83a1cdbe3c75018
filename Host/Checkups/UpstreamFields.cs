using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>Field names of Slardar's upstream JSON.</summary>
internal static class UpstreamFields
{
    // Top level.
    public const string Servers = "servers";
    public const string Cluster = "cluster";
    public const string Try = "try";
    public const string TryTimeout = "try_timeout";
    public const string NextUpstream = "next_upstream";
    public const string Enable = "enable";
    public const string Timeout = "timeout";

    // Peer (server) level.
    public const string Host = "host";
    public const string Port = "port";
    public const string Weight = "weight";
    public const string MaxFails = "max_fails";
    public const string FailTimeout = "fail_timeout";

}
