namespace Slardar.Scriptable.Host.Certificates;

/// <summary>A certificate ready to serve, or the reason it was refused (a 400's message).</summary>
internal sealed record CertificateParseResult(ServedCertificate? Certificate, string? Error, bool IsConflict = false)
{
    /// <summary>Valid, but a host pattern belongs to another certificate (409).</summary>
    public static CertificateParseResult Conflicting(string error) => new(null, error, IsConflict: true);

    public static CertificateParseResult Ok(ServedCertificate certificate) => new(certificate, null);

    public static CertificateParseResult Fail(string error) => new(null, error);
}
