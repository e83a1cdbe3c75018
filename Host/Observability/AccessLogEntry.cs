namespace Slardar.Scriptable.Host.Observability;

/// <summary>One proxied request, with Slardar's access-log fields.</summary>
internal sealed record AccessLogEntry(
    DateTimeOffset Timestamp,
    string RemoteAddr,
    string Host,
    string Method,
    string Uri,
    int Status,
    string UpstreamName,
    string UpstreamAddr,
    string UpstreamStatus,
    string UpstreamResponseTime,
    double UpstreamTime,
    double RequestTime,
    int Tries,
    int? XErrorCode,
    string UserAgent,
    string Referer);
