// TEMPORARY: stand-ins for the checkups engine being written on the `checkups` branch; replaced at merge.
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Configuration;

namespace Slardar.Scriptable.Host.Checkups;

internal sealed record PeerConfig(string Host, int Port, int Weight, int MaxFails, TimeSpan FailTimeout)
{
    public string Address => $"{Host}:{Port}";
}

internal sealed record UpstreamLevelConfig(ImmutableArray<PeerConfig> Servers);

internal sealed record UpstreamConfig(string Name, ImmutableArray<UpstreamLevelConfig> Levels, int? Tries, TimeSpan? TryTimeout, string? NextUpstream, bool Enable, TimeSpan? ConnectTimeout);

internal sealed class PeerState(PeerConfig config)
{
    public PeerConfig Config { get; } = config;
}

internal sealed class UpstreamState(UpstreamConfig config)
{
    private int _next;
    public string Name => Config.Name;
    public UpstreamConfig Config { get; } = config;
    public ImmutableArray<ImmutableArray<PeerState>> Levels { get; } = [.. config.Levels.Select(l => l.Servers.Select(s => new PeerState(s)).ToImmutableArray())];
    public PeerState? SelectPeer(IReadOnlyList<PeerState>? exclude)
    {
        var all = Levels[0];
        for (var i = 0; i < all.Length; i++)
        {
            var p = all[(int)((uint)Interlocked.Increment(ref _next) % (uint)all.Length)];
            if (exclude is null || !exclude.Contains(p)) { return p; }
        }
        return null;
    }
    public void Feedback(PeerState peer, bool failed) => _ = _next;
}

internal sealed class UpstreamRegistry(TimeProvider time)
{
    private ImmutableDictionary<string, UpstreamState> _all = ImmutableDictionary.Create<string, UpstreamState>(StringComparer.OrdinalIgnoreCase);
    public TimeProvider Time { get; } = time;
    public bool TryGet(string name, [NotNullWhen(true)] out UpstreamState? upstream) => _all.TryGetValue(name, out upstream);
    public void Set(UpstreamConfig config) => ImmutableInterlocked.Update(ref _all, d => d.SetItem(config.Name, new UpstreamState(config)));
    public bool Remove(string name) => ImmutableInterlocked.TryRemove(ref _all, name, out _);
    public IReadOnlyCollection<UpstreamState> All => [.. _all.Values];
}

internal static class UpstreamConfigurationReader
{
    public static IReadOnlyList<UpstreamConfig> Read(IConfiguration section, out IReadOnlyList<string> errors)
    {
        errors = [];
        var list = new List<UpstreamConfig>();
        foreach (var ups in section.GetChildren())
        {
            var peers = ups.GetSection("servers").GetChildren().Select(s => new PeerConfig(s["host"]!, int.Parse(s["port"]!, System.Globalization.CultureInfo.InvariantCulture), 1, 1, TimeSpan.FromSeconds(10))).ToImmutableArray();
            list.Add(new UpstreamConfig(ups.Key, [new UpstreamLevelConfig(peers)], null, null, null, true, null));
        }
        return list;
    }
}
