using Slardar.Scriptable.Host.Observability.Metrics;

namespace Slardar.Scriptable.MetricsMeasure;

/// <summary>
/// The recorded traffic: 8 upstreams of 4 peers, what the proxy records per request (one request,
/// one try with its latency). Names are made once, so the measure sees only the exporters' costs.
/// </summary>
internal static class Traffic
{
    public const int Upstreams = 8;
    public const int PeersPerUpstream = 4;

    private static readonly string[] UpstreamNames = [.. Enumerable.Range(0, Upstreams).Select(u => $"app{u}.example.com")];
    private static readonly string[][] PeerNames = [.. Enumerable.Range(0, Upstreams).Select(u => Enumerable.Range(0, PeersPerUpstream).Select(p => $"10.0.{u}.{p + 1}:8080").ToArray())];
    private static readonly int[] Statuses = [200, 200, 200, 200, 200, 200, 304, 404, 502, 200];
    private static readonly string[] Outcomes = [TryOutcome.Ok, TryOutcome.Ok, TryOutcome.Ok, TryOutcome.Ok, TryOutcome.Ok, TryOutcome.Ok, TryOutcome.Ok, TryOutcome.Ok, TryOutcome.Status, TryOutcome.Ok];

    /// <summary>Peer gauges as the registry reports them at scrape time.</summary>
    public static GatewayMetrics NewMetrics() => new(Peers, () => 0);

    /// <summary>The <paramref name="i"/>-th request: its upstream, peer, status and latency cycle through the set.</summary>
    public static void Record(GatewayMetrics metrics, int i)
    {
        var upstream = i % Upstreams;
        var peer = i / Upstreams % PeersPerUpstream;
        metrics.RecordRequest(UpstreamNames[upstream], Statuses[i % Statuses.Length]);
        metrics.RecordTry(UpstreamNames[upstream], PeerNames[upstream][peer], Outcomes[i % Outcomes.Length], TimeSpan.FromTicks(1_000 + (i % 97 * 10_000)));
    }

    /// <summary>Label values a parser must see escaped: quote, backslash, line feed, non-ASCII.</summary>
    public static void RecordHostile(GatewayMetrics metrics)
    {
        metrics.RecordRequest("quote\"back\\slash\nnewline.example.com", 503);
        metrics.RecordTry("ünïcødé.example.com", "[::1]:8080", TryOutcome.Error, TimeSpan.FromMilliseconds(12));
    }

    private static IEnumerable<PeerGaugeValue> Peers()
    {
        for (var u = 0; u < Upstreams; u++)
        {
            for (var p = 0; p < PeersPerUpstream; p++)
            {
                yield return new PeerGaugeValue(UpstreamNames[u], PeerNames[u][p], p == 3 ? "err" : "ok", p == 3 ? 0 : 1);
            }
        }
    }
}
