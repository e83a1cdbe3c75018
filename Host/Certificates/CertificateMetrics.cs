using System.Diagnostics.Metrics;
using Slardar.Scriptable.Host.Observability.Metrics;

namespace Slardar.Scriptable.Host.Certificates;

/// <summary>Certificate expiry on /metrics: seconds left per certificate, and how many end within 14 days.</summary>
internal static class CertificateMetrics
{
    public static void Register(GatewayMetrics metrics, CertificateCatalog catalog, TimeProvider time)
    {
        metrics.Meter.CreateObservableGauge(MetricNames.CertificateExpiry, () => SecondsLeft(catalog, time), unit: "s",
            description: "Seconds until each served TLS certificate expires (negative once expired).");
        metrics.Meter.CreateObservableGauge(MetricNames.CertificatesExpiring, () => Expiring(catalog, time),
            description: "Served TLS certificates that expire within 14 days (or have expired).");
    }

    private static IEnumerable<Measurement<double>> SecondsLeft(CertificateCatalog catalog, TimeProvider time)
    {
        var now = time.GetUtcNow();
        foreach (var certificate in catalog.Current.All)
        {
            yield return new Measurement<double>(
                Math.Round((certificate.NotAfter - now).TotalSeconds),
                new KeyValuePair<string, object?>("name", certificate.Name),
                new KeyValuePair<string, object?>("origin", certificate.Origin));
        }
    }

    private static long Expiring(CertificateCatalog catalog, TimeProvider time)
    {
        var now = time.GetUtcNow();
        return catalog.Current.All.Count(c => c.ExpiresWithin(CertificateLimits.ExpiryWarning, now));
    }
}
