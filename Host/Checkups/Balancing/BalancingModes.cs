using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups.Balancing;

/// <summary>The <c>mode</c> names of <see cref="BalancingMode"/>, as written in upstream JSON.</summary>
internal static class BalancingModes
{
    /// <summary>Every accepted name and its mode; the first name of a mode is the canonical one.</summary>
    public static readonly ImmutableArray<(string Name, BalancingMode Mode)> Names =
    [
        ("rr", BalancingMode.RoundRobin),
        ("wrr", BalancingMode.RoundRobin),
        ("hash", BalancingMode.Hash),
        ("url_hash", BalancingMode.UrlHash),
        ("ip_hash", BalancingMode.IpHash),
        ("header_hash", BalancingMode.HeaderHash),
        ("least_conn", BalancingMode.LeastConn),
        ("ewma", BalancingMode.Ewma),
    ];

    /// <summary>
    /// Reads a <c>mode</c> value. <c>""</c> means round robin, as in Slardar's fix of checkups' crash
    /// on an unknown mode (Q-C1); any other unknown name is refused instead of silently hashing.
    /// </summary>
    public static bool TryParse(string text, out BalancingMode mode)
    {
        ArgumentNullException.ThrowIfNull(text);
        mode = BalancingMode.RoundRobin;
        if (text.Length == 0)
        {
            return true;
        }

        foreach (var (name, value) in Names)
        {
            if (string.Equals(name, text, StringComparison.Ordinal))
            {
                mode = value;
                return true;
            }
        }

        return false;
    }

    /// <summary>The canonical name, as GET /upstream shows it.</summary>
    public static string Name(this BalancingMode mode)
    {
        foreach (var (name, value) in Names)
        {
            if (value == mode)
            {
                return name;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
    }

    /// <summary>The names listed in the parse error, space-separated.</summary>
    public static string Expected => string.Join(' ', Names.Select(n => n.Name));

    /// <summary>Whether the mode picks by consistent hash of a key.</summary>
    public static bool IsHashing(this BalancingMode mode) =>
        mode is BalancingMode.Hash or BalancingMode.UrlHash or BalancingMode.IpHash or BalancingMode.HeaderHash;
}
