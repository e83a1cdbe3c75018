using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// The one write path for upstream definitions, whatever their source (admin API, configuration,
/// later Consul): validate → persist durably in the store (versioned, with origin) → publish to the
/// <see cref="UpstreamRegistry"/> → acknowledge. A rejected change touches neither store nor
/// registry. Writes are serialized, so a <c>servers</c> merge always starts from the latest version.
/// </summary>
internal sealed partial class UpstreamCatalog
{
    private readonly GatewayStore _store;
    private readonly UpstreamRegistry _registry;
    private readonly ILogger<UpstreamCatalog> _logger;
    private readonly Lock _writeLock = new();

    public UpstreamCatalog(GatewayStore store, UpstreamRegistry registry, ILogger<UpstreamCatalog> logger)
    {
        _store = store;
        _registry = registry;
        _logger = logger;
    }

    /// <summary>
    /// At start: upstreams from configuration are stored when the store lacks their name (so an
    /// API change is never overwritten by an old config file), then everything stored is published.
    /// </summary>
    public void Load(IEnumerable<UpstreamConfig> seeds)
    {
        lock (_writeLock)
        {
            foreach (var seed in seeds)
            {
                var json = UpstreamConfigWriter.ToJson(seed);
                var stored = _store.Get(StoreKinds.Upstream, seed.Name);
                if (stored is null)
                {
                    _store.Put(StoreKinds.Upstream, seed.Name, json, StoreOrigins.Config);
                }
                else if (stored.Content != json)
                {
                    Log.ConfigurationShadowed(_logger, seed.Name, stored.Version, stored.Origin);
                }
            }

            var configs = new List<UpstreamConfig>();
            foreach (var document in _store.List(StoreKinds.Upstream))
            {
                var parsed = UpstreamConfigParser.Parse(document.Name, Encoding.UTF8.GetBytes(document.Content));
                if (parsed.Success)
                {
                    configs.Add(parsed.Config);
                }
                else
                {
                    // Stored by an older version with other rules: keep serving the rest.
                    Log.StoredUpstreamInvalid(_logger, document.Name, document.Version, parsed.Error!);
                }
            }

            _registry.SetRange(configs);
        }
    }

    /// <summary>
    /// Slardar's POST/PUT /upstream/&lt;name&gt;: a body with <c>cluster</c> replaces the upstream; a body
    /// with <c>servers</c> replaces its levels with that one level and keeps its other fields,
    /// overriding those the body names.
    /// </summary>
    public UpstreamChangeResult Apply(string name, ReadOnlySpan<byte> body, string origin, string actor)
    {
        if (!UpstreamValueRules.IsValidName(name))
        {
            return UpstreamChangeResult.Fail(UpstreamConfigErrors.InvalidName);
        }

        JsonObject? request;
        try
        {
            request = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { MaxDepth = 32 }) as JsonObject;
        }
        catch (JsonException ex)
        {
            return UpstreamChangeResult.Fail(UpstreamConfigErrors.DecodeBody(ex.Message));
        }

        if (request is null)
        {
            return UpstreamChangeResult.Fail(UpstreamConfigErrors.BodyNotObject);
        }

        lock (_writeLock)
        {
            // Names are case-insensitive: an edit of "Web" changes the stored "web", not a second entry.
            if (_registry.TryGet(name, out var existing))
            {
                name = existing.Name;
            }

            var merged = request;
            if (request.ContainsKey(UpstreamFields.Servers) && !request.ContainsKey(UpstreamFields.Cluster)
                && _registry.TryGet(name, out var current))
            {
                merged = UpstreamConfigWriter.ToJsonObject(current.Config);
                merged.Remove(UpstreamFields.Cluster);
                foreach (var (key, value) in request)
                {
                    merged[key] = value?.DeepClone();
                }
            }

            var parsed = UpstreamConfigParser.Parse(name, Encoding.UTF8.GetBytes(merged.ToJsonString()));
            if (!parsed.Success)
            {
                return UpstreamChangeResult.Fail(parsed.Error!);
            }

            return Publish(parsed.Config, origin, actor, "update");
        }
    }

    public UpstreamChangeResult Delete(string name, string origin, string actor)
    {
        lock (_writeLock)
        {
            if (!_registry.TryGet(name, out var current))
            {
                return UpstreamChangeResult.Missing(name);
            }

            var version = _store.Delete(StoreKinds.Upstream, current.Name, origin, actor);
            _registry.Remove(current.Name);
            _store.Audit("upstream.delete", current.Name, $"origin={origin}", actor);
            Log.UpstreamDeleted(_logger, current.Name, origin);
            return UpstreamChangeResult.Ok(version?.Version ?? 0);
        }
    }

    /// <summary>Makes an earlier stored version current again (as a new version).</summary>
    public UpstreamChangeResult Rollback(string name, int version, string actor)
    {
        lock (_writeLock)
        {
            var old = _store.GetVersion(StoreKinds.Upstream, name, version);
            if (old is null)
            {
                return UpstreamChangeResult.Fail($"upstream {name} has no version {version}");
            }

            if (old.Content is null)
            {
                return UpstreamChangeResult.Fail($"version {version} of upstream {name} is a deletion");
            }

            var parsed = UpstreamConfigParser.Parse(name, Encoding.UTF8.GetBytes(old.Content));
            if (!parsed.Success)
            {
                return UpstreamChangeResult.Fail($"version {version} is no longer valid: {parsed.Error}");
            }

            var stored = _store.Rollback(StoreKinds.Upstream, name, version, actor);
            _registry.Set(parsed.Config);
            _store.Audit("upstream.rollback", name, $"to version {version}", actor);
            Log.UpstreamChanged(_logger, name, stored.Version, StoreOrigins.Rollback);
            return UpstreamChangeResult.Ok(stored.Version);
        }
    }

    public IReadOnlyList<StoredVersion> Versions(string name) => _store.Versions(StoreKinds.Upstream, name);

    private UpstreamChangeResult Publish(UpstreamConfig config, string origin, string actor, string action)
    {
        // Durable first: nothing is acknowledged, or serves, before it is on disk.
        var stored = _store.Put(StoreKinds.Upstream, config.Name, UpstreamConfigWriter.ToJson(config), origin, actor);
        _registry.Set(config);
        if (!stored.Unchanged)
        {
            _store.Audit($"upstream.{action}", config.Name, $"origin={origin} version={stored.Version}", actor);
            Log.UpstreamChanged(_logger, config.Name, stored.Version, origin);
        }

        return UpstreamChangeResult.Ok(stored.Version);
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Upstream {Name} is now version {Version} (origin {Origin})")]
        public static partial void UpstreamChanged(ILogger logger, string name, int version, string origin);

        [LoggerMessage(2, LogLevel.Information, "Upstream {Name} deleted (origin {Origin})")]
        public static partial void UpstreamDeleted(ILogger logger, string name, string origin);

        [LoggerMessage(4, LogLevel.Warning, "Upstream {Name} in configuration differs from stored version {Version} (origin {Origin}); the stored one serves. Change it through the admin API, or roll back")]
        public static partial void ConfigurationShadowed(ILogger logger, string name, int version, string origin);

        [LoggerMessage(3, LogLevel.Error, "Stored upstream {Name} version {Version} is invalid and was not loaded: {Reason}")]
        public static partial void StoredUpstreamInvalid(ILogger logger, string name, int version, string reason);
    }
}
