namespace Slardar.Scriptable.Host.Observability;

/// <summary>What an access-log entry of a TCP session adds (nginx stream's <c>$bytes_received</c>, <c>$bytes_sent</c>).</summary>
/// <param name="BytesUp">Bytes from the client to the peer.</param>
/// <param name="BytesDown">Bytes from the peer to the client.</param>
/// <param name="End">How the session ended (<c>closed</c>, <c>idle_timeout</c>, ...); "-" when it was never connected.</param>
internal sealed record StreamTraffic(long BytesUp, long BytesDown, string End);
