using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;

namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>Maps checkups heartbeat type names (<c>typ</c>) to their probes.</summary>
internal sealed class ProbeRegistry
{
    private readonly FrozenDictionary<string, IHealthProbe> _probes;

    public ProbeRegistry()
    {
        // Probes hold no state, so one instance of each serves every upstream.
        IHealthProbe[] probes = [new TcpProbe(), new HttpProbe(), new RedisProbe(), new MysqlProbe()];
        _probes = probes.ToFrozenDictionary(p => p.Type, StringComparer.Ordinal);
    }

    /// <summary>Whether <paramref name="type"/> names a probe. Case-sensitive, as checkups compares <c>typ</c> exactly.</summary>
    public static bool IsKnown([NotNullWhen(true)] string? type) => type is not null && ProbeTypes.All.Contains(type, StringComparer.Ordinal);

    public bool TryGet(string type, [NotNullWhen(true)] out IHealthProbe? probe) => _probes.TryGetValue(type, out probe);

    /// <exception cref="ArgumentException"><paramref name="type"/> is not a known heartbeat type.</exception>
    public IHealthProbe Get(string type) =>
        TryGet(type, out var probe)
            ? probe
            : throw new ArgumentException($"unknown heartbeat type '{type}'; expected one of: {string.Join(", ", ProbeTypes.All)}", nameof(type));
}
