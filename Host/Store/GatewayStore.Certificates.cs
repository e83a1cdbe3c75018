namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// Certificates: the public part (PEM chain and host patterns) is an ordinary versioned document of
/// kind <see cref="StoreKinds.Certificate"/>; the sealed private key of the current version sits in
/// <c>certificate_keys</c>, written and removed in the same transaction as the document.
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

    /// <summary>The sealed key of the current version of a certificate.</summary>
    public string? GetCertificateKey(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Read(connection => CertificateKeyQueries.Get(connection, name));
    }
}
