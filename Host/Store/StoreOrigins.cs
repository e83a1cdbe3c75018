namespace Slardar.Scriptable.Host.Store;

/// <summary>Where a change came from, recorded with every version so history can say who changed what.</summary>
internal static class StoreOrigins
{
    /// <summary>Seeded from ASP.NET configuration (appsettings.json, environment, command line) at start.</summary>
    public const string Config = "config";

    /// <summary>The admin HTTP API.</summary>
    public const string Api = "api";

    /// <summary>A watched file (scripts.json, Scripts/&lt;host&gt;/&lt;phase&gt;.csx).</summary>
    public const string File = "file";

    /// <summary>A Consul KV or service watch.</summary>
    public const string Consul = "consul";

    /// <summary>A rollback to an earlier version.</summary>
    public const string Rollback = "rollback";
}
