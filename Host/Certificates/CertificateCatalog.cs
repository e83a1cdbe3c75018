using System.Text;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Host.Certificates;

/// <summary>
/// The one write path for TLS certificates, whatever their source (admin API, PEM files, Consul):
/// validate (PEM, key match, validity, host coverage, no pattern taken by another certificate) →
/// seal the key and persist durably (store; files are their own persistence) → publish a new
/// <see cref="CertificateSnapshot"/>, which the next handshake reads. A refused change touches
/// nothing; handshakes in progress keep the certificate they chose.
/// </summary>
internal sealed partial class CertificateCatalog : ICertificateFileTarget
{
    private readonly GatewayStore _store;
    private readonly CertificateKeyProtector _protector;
    private readonly TimeProvider _time;
    private readonly ILogger<CertificateCatalog> _logger;
    private readonly Lock _writeLock = new();
    private readonly Dictionary<string, ServedCertificate> _served = new(StringComparer.OrdinalIgnoreCase);
    private volatile CertificateSnapshot _current = CertificateSnapshot.Empty;

    public CertificateCatalog(GatewayStore store, CertificateKeyProtector protector, TimeProvider time, ILogger<CertificateCatalog> logger)
    {
        _store = store;
        _protector = protector;
        _time = time;
        _logger = logger;
    }

    /// <summary>What handshakes read: swapped whole on every change.</summary>
    public CertificateSnapshot Current => _current;

    public CertificateKeyProtector Protector => _protector;

    /// <summary>Stored certificates whose key did not open or that no longer parse, by name: shown in /status.</summary>
    public IReadOnlyDictionary<string, string> LoadErrors { get; private set; } = new Dictionary<string, string>();

    /// <summary>At start: every stored certificate is published; one that does not open is logged and skipped.</summary>
    public void LoadStored()
    {
        lock (_writeLock)
        {
            var errors = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var document in _store.List(StoreKinds.Certificate))
            {
                var parsed = FromStored(document);
                if (parsed.Certificate is { } certificate)
                {
                    _served[certificate.Name] = certificate;
                    if (certificate.NotAfter <= _time.GetUtcNow())
                    {
                        Log.ServingExpired(_logger, certificate.Name, certificate.NotAfter);
                    }
                }
                else
                {
                    errors[document.Name] = parsed.Error!;
                    Log.StoredInvalid(_logger, document.Name, document.Version, parsed.Error!);
                }
            }

            LoadErrors = errors;
            Publish();
        }
    }

    /// <summary>Checks a request as <see cref="Apply"/> would, changing nothing.</summary>
    public CertificateParseResult Validate(string name, CertificateRequest request, string origin)
    {
        if (!UpstreamValueRules.IsValidName(name))
        {
            return CertificateParseResult.Fail("name: must match ^[-_a-zA-Z0-9.]+$");
        }

        var key = request.Key;
        if (request.SealedKey is { } sealedKey)
        {
            key = _protector.Unseal(name, sealedKey, out var unsealError);
            if (key is null)
            {
                return CertificateParseResult.Fail("key_sealed: " + unsealError);
            }
        }

        var parsed = CertificateParser.Parse(name, request.Certificate, key, request.Hosts, origin, _time.GetUtcNow());
        if (parsed.Certificate is not { } certificate)
        {
            return parsed;
        }

        lock (_writeLock)
        {
            if (Conflict(certificate) is { } conflict)
            {
                certificate.Leaf.Dispose();
                return CertificateParseResult.Conflicting(conflict);
            }

            if (!_served.ContainsKey(name) && _served.Count >= CertificateLimits.MaxCertificates)
            {
                certificate.Leaf.Dispose();
                return CertificateParseResult.Fail($"the gateway already holds {CertificateLimits.MaxCertificates} certificates");
            }
        }

        return parsed;
    }

    /// <summary>The value Consul keeps for a validated certificate: public part plus the key sealed with the shared protection key.</summary>
    public string ReplicatedValue(ServedCertificate certificate, string keyPem) =>
        PublicJson(certificate, _protector.Seal(certificate.Name, keyPem)).ToJsonString();

    /// <summary>Admin API (plain key) or Consul (sealed key): validate, store, publish.</summary>
    public CertificateChangeResult Apply(string name, CertificateRequest request, string origin, string actor)
    {
        lock (_writeLock)
        {
            var parsed = Validate(name, request, origin);
            if (parsed.Certificate is not { } certificate)
            {
                return parsed.IsConflict ? CertificateChangeResult.Conflict(parsed.Error!) : CertificateChangeResult.Fail(parsed.Error!);
            }

            if (_served.TryGetValue(name, out var existing) && existing.SourcePath is not null)
            {
                certificate.Leaf.Dispose();
                return CertificateChangeResult.Conflict($"certificate {existing.Name} comes from files ({existing.SourcePath}); edit the files or pick another name");
            }

            // Durable first: nothing serves, or is acknowledged, before it is on disk.
            var sealedKey = request.SealedKey ?? _protector.Seal(name, request.Key!);
            var action = existing is null ? "certificate.create" : "certificate.update";
            var stored = _store.PutCertificate(name, PublicJson(certificate, sealedKey: null).ToJsonString(), sealedKey, origin, actor, action);
            _served[stored.Name] = certificate with { Name = stored.Name, Version = stored.Version };
            if (existing is not null && !string.Equals(existing.Name, stored.Name, StringComparison.Ordinal))
            {
                _served.Remove(existing.Name);
            }

            Publish();
            Log.Changed(_logger, stored.Name, stored.Version, origin, certificate.NotAfter);
            return CertificateChangeResult.Ok(stored.Version);
        }
    }

    public CertificateChangeResult Delete(string name, string origin, string actor)
    {
        lock (_writeLock)
        {
            if (!_served.TryGetValue(name, out var existing) && _store.Get(StoreKinds.Certificate, name) is null)
            {
                return CertificateChangeResult.Missing(name);
            }

            if (existing?.SourcePath is not null)
            {
                return CertificateChangeResult.Conflict($"certificate {existing.Name} comes from files ({existing.SourcePath}); remove it from Certificates:Files");
            }

            var version = _store.DeleteCertificate(existing?.Name ?? name, origin, actor, "certificate.delete");
            _served.Remove(name);
            Publish();
            Log.Deleted(_logger, name, origin);
            return CertificateChangeResult.Ok(version?.Version ?? 0);
        }
    }

    /// <summary>A certificate read from files (not stored: the files are its persistence); null removes it.</summary>
    public string? SetFromFile(string name, CertificateParseResult? parsed)
    {
        lock (_writeLock)
        {
            if (parsed is null)
            {
                if (_served.TryGetValue(name, out var old) && old.SourcePath is not null)
                {
                    _served.Remove(name);
                    Publish();
                }

                return null;
            }

            if (parsed.Certificate is not { } certificate)
            {
                return parsed.Error;
            }

            if (_served.TryGetValue(name, out var existing) && existing.SourcePath is null)
            {
                certificate.Leaf.Dispose();
                return $"the name {name} is taken by a certificate from {existing.Origin}";
            }

            if (Conflict(certificate) is { } conflict)
            {
                certificate.Leaf.Dispose();
                return conflict;
            }

            _served[name] = certificate;
            Publish();
            Log.Changed(_logger, name, 0, StoreOrigins.File, certificate.NotAfter);
            return null;
        }
    }

    /// <summary>Names of stored certificates (for Consul's "gone from Consul" sweep).</summary>
    public IReadOnlyList<StoredDocument> Stored() => _store.List(StoreKinds.Certificate);

    private CertificateParseResult FromStored(StoredDocument document)
    {
        JsonObject? json;
        try
        {
            json = JsonNode.Parse(document.Content) as JsonObject;
        }
        catch (System.Text.Json.JsonException ex)
        {
            return CertificateParseResult.Fail("stored JSON is malformed: " + ex.Message);
        }

        var sealedKey = _store.GetCertificateKey(document.Name);
        if (json is null || sealedKey is null)
        {
            return CertificateParseResult.Fail("stored certificate has no key");
        }

        var request = CertificateRequest.Parse(Encoding.UTF8.GetBytes(json.ToJsonString()), sealedKey: true, out var error);
        if (request is null)
        {
            return CertificateParseResult.Fail(error!);
        }

        var key = _protector.Unseal(document.Name, sealedKey, out var unsealError);
        return key is null
            ? CertificateParseResult.Fail(unsealError!)
            : CertificateParser.Parse(document.Name, request.Certificate, key, request.Hosts, document.Origin, _time.GetUtcNow(), document.Version, checkValidity: false);
    }

    private string? Conflict(ServedCertificate certificate)
    {
        foreach (var host in certificate.Hosts)
        {
            if (_current.Owner(host) is { } owner && !string.Equals(owner.Name, certificate.Name, StringComparison.OrdinalIgnoreCase))
            {
                return $"hosts: \"{host}\" is already served by certificate {owner.Name}; remove it there first";
            }
        }

        return null;
    }

    private void Publish() => _current = new CertificateSnapshot(_served.Values);

    private static JsonObject PublicJson(ServedCertificate certificate, string? sealedKey)
    {
        var json = new JsonObject
        {
            [CertificateRequest.CertField] = certificate.CertificatePem,
            [CertificateRequest.HostsField] = new JsonArray([.. certificate.Hosts.Select(h => (JsonNode)JsonValue.Create(h))]),
        };
        if (sealedKey is not null)
        {
            json[CertificateRequest.SealedKeyField] = sealedKey;
        }

        return json;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Certificate {Name} is now version {Version} (origin {Origin}), valid until {NotAfter:u}; the next handshake uses it")]
        public static partial void Changed(ILogger logger, string name, int version, string origin, DateTimeOffset notAfter);

        [LoggerMessage(2, LogLevel.Information, "Certificate {Name} deleted (origin {Origin})")]
        public static partial void Deleted(ILogger logger, string name, string origin);

        [LoggerMessage(3, LogLevel.Error, "Stored certificate {Name} version {Version} was not loaded: {Reason}")]
        public static partial void StoredInvalid(ILogger logger, string name, int version, string reason);

        [LoggerMessage(4, LogLevel.Warning, "Certificate {Name} expired on {NotAfter:u} and still serves: post a new one")]
        public static partial void ServingExpired(ILogger logger, string name, DateTimeOffset notAfter);
    }
}
