using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// The one write path for upstream definitions, whatever their source (admin API, configuration,
/// Consul): validate → persist durably in the store (versioned, with origin) → publish to the
/// <see cref="UpstreamRegistry"/> → acknowledge. A rejected change touches neither store nor
/// registry. Writes are serialized, so a <c>servers</c> merge always starts from the latest version.
/// An upstream defined by <c>consul_service</c> is published with the peers its
/// <see cref="IServicePeerSource"/> knows, and republished whenever they change.
/// </summary>
internal sealed partial class UpstreamCatalog
{
    private static readonly JsonDocumentOptions BodyOptions = new() { MaxDepth = 32 };

    private readonly GatewayStore _store;
    private readonly UpstreamRegistry _registry;
    private readonly IServicePeerSource _peers;
    private readonly ILogger<UpstreamCatalog> _logger;
    private readonly Lock _writeLock = new();

    public UpstreamCatalog(GatewayStore store, UpstreamRegistry registry, IServicePeerSource peers, ILogger<UpstreamCatalog> logger)
    {
        _store = store;
        _registry = registry;
        _peers = peers;
        _logger = logger;
        _peers.PeersChanged += RefreshService;
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
                var parsed = Validate(UpstreamConfigParser.Parse(document.Name, Encoding.UTF8.GetBytes(document.Content)));
                if (parsed.Success)
                {
                    configs.Add(_peers.Resolve(parsed.Config));
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
        lock (_writeLock)
        {
            var prepared = Prepare(name, body);
            return prepared.Success ? Publish(prepared.Config, origin, actor) : UpstreamChangeResult.Fail(prepared.Error);
        }
    }

    /// <summary>
    /// What <see cref="Apply(string, ReadOnlySpan{byte}, string, string)"/> would publish, without
    /// publishing it: the body merged with the current upstream and validated. Used to check a write
    /// before it goes to Consul.
    /// </summary>
    public UpstreamParseResult Prepare(string name, ReadOnlySpan<byte> body)
    {
        if (!UpstreamValueRules.IsValidName(name))
        {
            return UpstreamParseResult.Fail(UpstreamConfigErrors.InvalidName);
        }

        JsonObject? request;
        try
        {
            // JsonObject throws on a key given twice only when first touched: checked before it is built.
            using (var document = JsonDocument.Parse(body.ToArray(), BodyOptions))
            {
                if (UpstreamBodyCheck.FindProblem(document.RootElement) is { } problem)
                {
                    return UpstreamParseResult.Fail(problem);
                }
            }

            request = JsonNode.Parse(body, documentOptions: BodyOptions) as JsonObject;
        }
        catch (JsonException ex)
        {
            return UpstreamParseResult.Fail(UpstreamConfigErrors.DecodeBody(ex.Message));
        }

        if (request is null)
        {
            return UpstreamParseResult.Fail(UpstreamConfigErrors.BodyNotObject);
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
                merged.Remove(UpstreamFields.ConsulService);
                foreach (var (key, value) in request)
                {
                    merged[key] = value?.DeepClone();
                }
            }

            return Validate(UpstreamConfigParser.Parse(name, Encoding.UTF8.GetBytes(merged.ToJsonString())));
        }
    }

    /// <summary>A whole definition as stored (a Consul KV value): replaces the upstream, no merging.</summary>
    public UpstreamChangeResult ApplyDefinition(string name, string json, string origin, string actor)
    {
        lock (_writeLock)
        {
            if (_registry.TryGet(name, out var existing))
            {
                name = existing.Name;
            }

            var parsed = Validate(UpstreamConfigParser.Parse(name, Encoding.UTF8.GetBytes(json)));
            return parsed.Success ? Publish(parsed.Config, origin, actor) : UpstreamChangeResult.Fail(parsed.Error);
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

            var version = _store.Delete(StoreKinds.Upstream, current.Name, origin, actor, "upstream.delete");
            _registry.Remove(current.Name);
            _peers.Release(current.Name);
            Log.UpstreamDeleted(_logger, current.Name, origin);
            return UpstreamChangeResult.Ok(version?.Version ?? 0);
        }
    }

    /// <summary>Makes an earlier stored version current again (as a new version).</summary>
    public UpstreamChangeResult Rollback(string name, int version, string actor)
    {
        lock (_writeLock)
        {
            var prepared = PrepareRollback(name, version);
            if (!prepared.Success)
            {
                return UpstreamChangeResult.Fail(prepared.Error);
            }

            var stored = _store.Rollback(StoreKinds.Upstream, name, version, actor, "upstream.rollback");
            _registry.Set(_peers.Resolve(prepared.Config));
            Log.UpstreamChanged(_logger, name, stored.Version, StoreOrigins.Rollback);
            return UpstreamChangeResult.Ok(stored.Version);
        }
    }

    /// <summary>The definition an earlier stored version holds, if it is still valid.</summary>
    public UpstreamParseResult PrepareRollback(string name, int version)
    {
        var old = _store.GetVersion(StoreKinds.Upstream, name, version);
        if (old is null)
        {
            return UpstreamParseResult.Fail($"upstream {name} has no version {version}");
        }

        if (old.Content is null)
        {
            return UpstreamParseResult.Fail($"version {version} of upstream {name} is a deletion");
        }

        var parsed = Validate(UpstreamConfigParser.Parse(name, Encoding.UTF8.GetBytes(old.Content)));
        return parsed.Success ? parsed : UpstreamParseResult.Fail($"version {version} is no longer valid: {parsed.Error}");
    }

    public IReadOnlyList<StoredVersion> Versions(string name) => _store.Versions(StoreKinds.Upstream, name);

    private UpstreamChangeResult Publish(UpstreamConfig config, string origin, string actor)
    {
        // Durable first: nothing is acknowledged, or serves, before it is on disk.
        var action = _registry.TryGet(config.Name, out _) ? "upstream.update" : "upstream.create";
        var stored = _store.Put(StoreKinds.Upstream, config.Name, UpstreamConfigWriter.ToJson(config), origin, actor, action);
        if (config.ConsulService is null)
        {
            _peers.Release(config.Name);
        }

        _registry.Set(_peers.Resolve(config));
        if (!stored.Unchanged)
        {
            Log.UpstreamChanged(_logger, config.Name, stored.Version, origin);
        }

        return UpstreamChangeResult.Ok(stored.Version);
    }

    /// <summary>Refused here even if the JSON is fine: a <c>consul_service</c> upstream without Consul.</summary>
    private UpstreamParseResult Validate(UpstreamParseResult parsed) =>
        parsed.Success && parsed.Config.ConsulService is not null && _peers.Unavailable is { } why
            ? UpstreamParseResult.Fail(why)
            : parsed;

    // The service's instances changed: every upstream following it gets the new peers (health of
    // peers that stay is kept by the registry).
    private void RefreshService(string service)
    {
        lock (_writeLock)
        {
            var changed = _registry.All
                .Where(u => string.Equals(u.Config.ConsulService, service, StringComparison.Ordinal))
                .Select(u => _peers.Resolve(u.Config))
                .ToList();
            if (changed.Count > 0)
            {
                _registry.SetRange(changed);
            }
        }
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
