namespace Slardar.Scriptable.Host.Store;

/// <summary>The kinds of document the store keeps. A kind is a namespace for names, nothing more.</summary>
internal static class StoreKinds
{
    /// <summary>An upstream definition in Slardar's JSON shape, named after the upstream.</summary>
    public const string Upstream = "upstream";

    /// <summary>A script's C# source, named <c>host/phase</c>.</summary>
    public const string Script = "script";

    /// <summary>A free-form configuration value, named by its key.</summary>
    public const string Config = "config";

    /// <summary>The last peers known for a Consul service (JSON array of host, port, weight), named by the service.</summary>
    public const string Service = "service";

    /// <summary>
    /// A TLS certificate: JSON <c>{"cert": "&lt;PEM chain&gt;", "hosts": [...]}</c>, named by the
    /// certificate's name. Its private key is kept apart, sealed, in <c>certificate_keys</c>, so no
    /// version or history ever holds it.
    /// </summary>
    public const string Certificate = "certificate";

    /// <summary>A module's C# source (code shared by scripts), named like <c>acme.auth</c>.</summary>
    public const string Module = "module";
}
