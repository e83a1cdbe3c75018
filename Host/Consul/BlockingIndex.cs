namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// Consul's documented rules for the index a blocking query passes next. Index 0 means "plain read":
/// Consul answers at once with the current state and index.
/// </summary>
internal static class BlockingIndex
{
    /// <summary>
    /// The index to block on after an answer carrying <paramref name="returned"/>, when the query
    /// used <paramref name="previous"/>. Starts over with a plain read when the index went
    /// backwards (a Consul restart or snapshot restore: blocking on the old, higher index would hang
    /// until the cluster caught up) or is below 1 (never valid; blocking on 0 would not block).
    /// </summary>
    public static ulong Next(ulong previous, ulong returned) =>
        returned < 1 || returned < previous ? 0 : returned;
}
