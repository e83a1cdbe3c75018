namespace Slardar.Scriptable.Host.Certificates;

/// <summary>What a certificate write did: accepted (with its store version), or refused with an HTTP status and a message.</summary>
internal sealed record CertificateChangeResult(int Status, string? Error, int Version = 0)
{
    public bool Accepted => Status == 200;

    public static CertificateChangeResult Ok(int version) => new(200, null, version);

    public static CertificateChangeResult Fail(string error) => new(400, error);

    public static CertificateChangeResult Conflict(string error) => new(409, error);

    public static CertificateChangeResult Missing(string name) => new(404, $"certificate {name} not found");
}
