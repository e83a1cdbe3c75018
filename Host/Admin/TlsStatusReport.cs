using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Certificates;
using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// The TLS part of /status: certificates that expire within 14 days (or have), certificates that
/// did not load (stored or from files), and upstreams whose peers' certificates are not verified (<c>"verify": false</c>).
/// </summary>
internal static class TlsStatusReport
{
    public static void Add(JsonObject status, UpstreamRegistry registry, CertificateCatalog certificates, CertificateFileWatcher files, DateTimeOffset now)
    {
        var expiring = new JsonArray();
        foreach (var certificate in certificates.Current.All.Where(c => c.ExpiresWithin(CertificateLimits.ExpiryWarning, now)))
        {
            expiring.Add(new JsonObject
            {
                ["name"] = certificate.Name,
                ["not_after"] = certificate.NotAfter.ToString("O", System.Globalization.CultureInfo.InvariantCulture),
                ["expires_in_days"] = Math.Round((certificate.NotAfter - now).TotalDays, 1),
                ["expired"] = certificate.NotAfter <= now,
            });
        }

        var unloaded = new JsonObject();
        foreach (var (name, error) in certificates.LoadErrors)
        {
            unloaded[name] = error;
        }

        // PEM files that did not load (the previous certificate, if any, keeps serving).
        foreach (var (name, error) in files.Errors.Where(e => e.Value is not null))
        {
            unloaded[name] = error;
        }

        status["certificates"] = new JsonObject
        {
            ["count"] = certificates.Current.All.Length,
            ["expiring"] = expiring,
            ["not_loaded"] = unloaded,
        };

        var unverified = new JsonArray();
        foreach (var upstream in registry.All.Where(u => u.Config.Tls is { Verify: false }).OrderBy(u => u.Name, StringComparer.Ordinal))
        {
            unverified.Add(upstream.Name);
        }

        // Loud on purpose: these upstreams accept any certificate, so anyone on the path can read and change their traffic.
        status["tls_unverified_upstreams"] = unverified;
    }
}
