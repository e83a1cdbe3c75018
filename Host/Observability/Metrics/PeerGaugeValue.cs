namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// One peer's health as the integrator reports it at scrape time: <paramref name="Up"/> feeds
/// <c>slardar_upstream_peer_up</c> (1 usable, 0 not) and <paramref name="Status"/> labels
/// <c>slardar_upstream_peer_status_info</c> (checkups' own words, e.g. "ok", "err", "down");
/// <paramref name="TakeOuts"/> feeds <c>slardar_upstream_peer_takeouts_total</c>.
/// </summary>
internal readonly record struct PeerGaugeValue(string Upstream, string Peer, string Status, double Up, long TakeOuts = 0);
