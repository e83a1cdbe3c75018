namespace Slardar.Scriptable.Host.Observability;

/// <summary>One proxied request, with Slardar's access-log fields; or one TCP session (<see cref="Stream"/> set: Host is the listener, Method <c>TCP</c>).</summary>
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
    string Referer)
{
    /// <summary>Set for a TCP session of the stream proxy; null for an HTTP request.</summary>
    public StreamTraffic? Stream { get; init; }
}
