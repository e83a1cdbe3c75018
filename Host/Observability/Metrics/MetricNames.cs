namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// The gateway's metric family names, exactly as they appear on /metrics. Instruments are named in
/// Prometheus style (unit and <c>_total</c> in the name) because the exporter renders names as-is.
/// Scripts get their own <c>slardar_script_</c> prefix so they can never shadow these.
/// </summary>
internal static class MetricNames
{
    public const string UpstreamRequests = "slardar_upstream_requests_total";
    public const string UpstreamTries = "slardar_upstream_tries_total";
    public const string PeerLatency = "slardar_upstream_peer_latency_seconds";
    public const string PeerUp = "slardar_upstream_peer_up";
    public const string PeerStatusInfo = "slardar_upstream_peer_status_info";
    public const string Ejections = "slardar_upstream_ejections_total";
    public const string PeerTakeOuts = "slardar_upstream_peer_takeouts_total";
    public const string HeartbeatFailures = "slardar_heartbeat_failures_total";
    public const string AccessLogDropped = "slardar_access_log_dropped_total";
    public const string ScriptPrefix = "slardar_script_";
    public const string CertificateExpiry = "slardar_tls_certificate_expiry_seconds";
    public const string CertificatesExpiring = "slardar_tls_certificates_expiring";
}
