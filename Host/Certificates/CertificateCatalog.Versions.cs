using System.Text;
using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Host.Certificates;

/// <summary>
/// History and rollback, as upstreams and scripts have them: every stored version keeps its chain,
/// hosts and sealed key, and a rollback makes an old one current again as a new version once it
/// passes today's checks (still valid, hosts free, key opens).
/// </summary>
internal sealed partial class CertificateCatalog
{
    public IReadOnlyList<StoredVersion> Versions(string name) => _store.Versions(StoreKinds.Certificate, name);

    /// <summary>An earlier version checked as a new post would be: the request (key sealed) and the certificate, or why not.</summary>
    public (CertificateRequest? Request, CertificateParseResult Result) PrepareRollback(string name, int version)
    {
        var old = _store.GetVersion(StoreKinds.Certificate, name, version);
        if (old is null)
        {
            return (null, CertificateParseResult.Fail($"certificate {name} has no version {version}"));
        }

        if (old.Content is null)
        {
            return (null, CertificateParseResult.Fail($"version {version} of certificate {name} is a deletion"));
        }

        var sealedKey = _store.GetCertificateKey(name, version);
        var request = sealedKey is null ? null : CertificateRequest.Parse(Encoding.UTF8.GetBytes(old.Content), sealedKey: true, out _) is { } parsed ? parsed with { SealedKey = sealedKey } : null;
        if (request is null)
        {
            return (null, CertificateParseResult.Fail($"version {version} of certificate {name} has no key kept"));
        }

        var result = Validate(name, request, StoreOrigins.Rollback);
        return result.Certificate is null
            ? (null, result with { Error = $"version {version} is no longer valid: {result.Error}" })
            : (request, result);
    }

    /// <summary>The Consul value that brings an earlier version back on every gateway (its key stays sealed).</summary>
    public static string ReplicatedRollbackValue(ServedCertificate certificate, string sealedKey) =>
        PublicJson(certificate, sealedKey).ToJsonString();

    /// <summary>Makes an earlier stored version current again (as a new version), on this gateway.</summary>
    public CertificateChangeResult Rollback(string name, int version, string actor)
    {
        lock (_writeLock)
        {
            if (_served.TryGetValue(name, out var existing) && existing.SourcePath is not null)
            {
                return CertificateChangeResult.Conflict($"certificate {existing.Name} comes from files ({existing.SourcePath}); edit the files or pick another name");
            }

            var (_, prepared) = PrepareRollback(name, version);
            if (prepared.Certificate is not { } certificate)
            {
                return prepared.IsConflict ? CertificateChangeResult.Conflict(prepared.Error!) : CertificateChangeResult.Fail(prepared.Error!);
            }

            StoredVersion stored;
            try
            {
                stored = _store.RollbackCertificate(name, version, actor, "certificate.rollback");
            }
            catch (StoreRollbackException ex)
            {
                certificate.Leaf.Dispose();
                return CertificateChangeResult.Fail(ex.Message);
            }

            _served[stored.Name] = certificate with { Name = stored.Name, Version = stored.Version, Origin = StoreOrigins.Rollback };
            Publish();
            Log.Changed(_logger, stored.Name, stored.Version, StoreOrigins.Rollback, certificate.NotAfter);
            return CertificateChangeResult.Ok(stored.Version);
        }
    }
}
