namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// What one <see cref="UpstreamState.SelectPeer(in PeerSelection)"/> call asks for. A struct passed
/// by reference, so selecting allocates nothing.
/// </summary>
/// <param name="Exclude">Peers already tried by this request or call; they are not picked again.</param>
/// <param name="HashKey">Key for the hashing modes (see <see cref="Balancing.BalancingKey"/>); null = round robin in those modes.</param>
/// <param name="ClusterKeys">
/// Levels to use, in this order: level names, or 1-based indices ("1", "2") for array levels, as
/// checkups' <c>cluster_key</c>. Unknown keys are skipped; null = every level in order.
/// </param>
internal readonly record struct PeerSelection(
    IReadOnlyList<PeerState>? Exclude = null,
    string? HashKey = null,
    IReadOnlyList<string>? ClusterKeys = null);
