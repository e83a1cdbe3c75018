namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// Where things live under the KV prefix: <c>upstreams/&lt;name&gt;</c> (Slardar's upstream JSON),
/// <c>scripts/&lt;host&gt;/&lt;phase&gt;</c> (C# source), <c>config/&lt;key&gt;</c> (JSON values for
/// scripts' <c>Config["key"]</c>), <c>certificates/&lt;name&gt;</c> (TLS certificates, keys sealed),
/// <c>modules/&lt;name&gt;</c> (C# source shared by scripts), <c>cache_purges/&lt;gateway&gt;</c> (a
/// gateway's last cache purges, when Redis does not carry them).
/// </summary>
internal sealed class ConsulKvLayout
{
    public const string Upstreams = "upstreams/";
    public const string Scripts = "scripts/";
    public const string Config = "config/";
    public const string Certificates = "certificates/";
    public const string Modules = "modules/";
    public const string CachePurges = "cache_purges/";

    public ConsulKvLayout(string prefix)
    {
        Prefix = prefix;
    }

    public string Prefix { get; }

    public string UpstreamKey(string name) => Prefix + Upstreams + name;

    /// <summary>A script's key from its store name (<c>&lt;host&gt;/&lt;phase&gt;</c>).</summary>
    public string ScriptKey(string storeName) => Prefix + Scripts + storeName;

    public string ConfigKey(string key) => Prefix + Config + key;

    /// <summary>A TLS certificate: JSON <c>{"cert", "hosts", "key_sealed"}</c>, the key sealed with the shared Certificates:ProtectionKey.</summary>
    public string CertificateKey(string name) => Prefix + Certificates + name;

    /// <summary>A module's C# source, named like <c>acme.auth</c>.</summary>
    public string ModuleKey(string name) => Prefix + Modules + name;

    /// <summary>A gateway's purge log (<see cref="Services.Caching.ConsulCachePurges"/>).</summary>
    public string CachePurgeKey(string gateway) => Prefix + CachePurges + gateway;

    /// <summary>
    /// What a full key names: its kind (one of the folder constants above) and the name under it;
    /// null for folders (keys ending in <c>/</c>) and anything else.
    /// </summary>
    public (string Kind, string Name)? Parse(string key)
    {
        if (!key.StartsWith(Prefix, StringComparison.Ordinal) || key.EndsWith('/'))
        {
            return null;
        }

        var rest = key[Prefix.Length..];
        foreach (var kind in (ReadOnlySpan<string>)[Upstreams, Scripts, Config, Certificates, Modules, CachePurges])
        {
            if (rest.StartsWith(kind, StringComparison.Ordinal) && rest.Length > kind.Length)
            {
                return (kind, rest[kind.Length..]);
            }
        }

        return null;
    }
}
