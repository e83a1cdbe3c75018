namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// Certificates: the public part (PEM chain and host patterns) is an ordinary versioned document of
/// kind <see cref="StoreKinds.Certificate"/>; the sealed private key of the current version sits in
/// <c>certificate_keys</c>, written and removed in the same transaction as the document; the sealed
/// key of every version stays in <c>certificate_key_versions</c> (a deletion keeps them) for rollback.
/// </summary>
internal sealed partial class GatewayStore
{
    public StoredVersion PutCertificate(string name, string content, string sealedKey, string origin, string? actor, string auditAction)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(sealedKey);
        return Write(() =>
        {
            var stored = PutInTransaction(StoreKinds.Certificate, name, content, origin, StoreActions.Put, actor);
            CertificateKeyQueries.Put(_writer, stored.Name, stored.Version, sealedKey, _time.GetUtcNow());
            return AuditInTransaction(stored, auditAction, $"origin={origin} version={stored.Version}");
        });
    }

    /// <summary>Records the deletion and forgets the key; null when there was no such certificate.</summary>
    public StoredVersion? DeleteCertificate(string name, string origin, string? actor, string auditAction)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Write(() =>
        {
            CertificateKeyQueries.Delete(_writer, name);
            return DeleteInTransaction(StoreKinds.Certificate, name, origin, actor, auditAction);
        });
    }

    /// <summary>
    /// Makes version <paramref name="version"/> current again (as a new version, with its own key),
    /// as <see cref="GatewayStore.Rollback"/> does for other documents.
    /// </summary>
    /// <exception cref="StoreRollbackException">The version does not exist, is a deletion, or has no key kept.</exception>
    public StoredVersion RollbackCertificate(string name, int version, string? actor, string auditAction)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Write(() =>
        {
            var target = DocumentQueries.Version(_writer, StoreKinds.Certificate, name, version)
                ?? throw new StoreRollbackException(StoreRollbackError.VersionNotFound, $"certificate {name} has no version {version}");
            if (target.IsDeletion)
            {
                throw new StoreRollbackException(StoreRollbackError.VersionIsDeletion, $"version {version} of certificate {name} is a deletion");
            }

            var sealedKey = CertificateKeyQueries.GetVersion(_writer, name, version)
                ?? throw new StoreRollbackException(StoreRollbackError.VersionNotFound, $"version {version} of certificate {name} has no key kept");
            var restored = PutInTransaction(StoreKinds.Certificate, name, target.Content!, StoreOrigins.Rollback, StoreActions.Rollback, actor);
            CertificateKeyQueries.Put(_writer, restored.Name, restored.Version, sealedKey, _time.GetUtcNow());
            return AuditInTransaction(restored, auditAction, $"to version {version} (recorded as version {restored.Version})");
        });
    }

    /// <summary>The sealed key a version of a certificate was stored with; null when none is kept.</summary>
    public string? GetCertificateKey(string name, int version)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Read(connection => CertificateKeyQueries.GetVersion(connection, name, version));
    }

    /// <summary>The sealed key of the current version of a certificate.</summary>
    public string? GetCertificateKey(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Read(connection => CertificateKeyQueries.Get(connection, name));
    }
}
