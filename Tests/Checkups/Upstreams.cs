using System.Collections.Immutable;
using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Tests.Checkups;

/// <summary>Short builders for upstream configs in tests; peers are named by host, port 80.</summary>
internal static class Upstreams
{
    public static PeerConfig Peer(string host, int weight = 1, int maxFails = 1, double failTimeoutSeconds = 10, int port = 80) => new()
    {
        Host = host,
        Port = port,
        Weight = weight,
        MaxFails = maxFails,
        FailTimeout = TimeSpan.FromSeconds(failTimeoutSeconds),
    };

    public static UpstreamConfig Config(string name, params PeerConfig[] peers) => Levels(name, peers);

    public static UpstreamConfig Levels(string name, params PeerConfig[][] levels) => new()
    {
        Name = name,
        Levels = [.. levels.Select(level => new UpstreamLevelConfig([.. level]))],
    };

    /// <summary>An upstream whose <c>cluster</c> is an object: levels by name, in the order given.</summary>
    public static UpstreamConfig NamedLevels(string name, params (string Level, PeerConfig[] Peers)[] levels) => new()
    {
        Name = name,
        Levels = [.. levels.Select(level => new UpstreamLevelConfig([.. level.Peers], level.Level))],
    };

    public static PeerState Named(this UpstreamState upstream, string host) =>
        upstream.FindPeer(host, 80) ?? throw new InvalidOperationException($"no peer {host}");

    /// <summary>The hosts picked by <paramref name="count"/> selections, concatenated ("aabacaa").</summary>
    public static string Picks(this UpstreamState upstream, int count, IReadOnlyList<PeerState>? exclude = null)
    {
        var picks = new System.Text.StringBuilder();
        for (var i = 0; i < count; i++)
        {
            picks.Append(upstream.SelectPeer(exclude)?.Host ?? "-");
        }

        return picks.ToString();
    }

    /// <summary>Selects then reports a failure, <paramref name="count"/> times, for one named peer.</summary>
    public static void Fail(this UpstreamState upstream, string host, int count = 1)
    {
        var peer = upstream.Named(host);
        for (var i = 0; i < count; i++)
        {
            upstream.Feedback(peer, failed: true);
        }
    }

    /// <summary>Reports <paramref name="count"/> answers with <paramref name="status"/> from one named peer.</summary>
    public static void Answer(this UpstreamState upstream, string host, int status, int count = 1)
    {
        var peer = upstream.Named(host);
        for (var i = 0; i < count; i++)
        {
            upstream.Feedback(peer, failed: status >= 500, status: status);
        }
    }

    /// <summary>Selects and immediately reports success, <paramref name="count"/> times; the hosts concatenated.</summary>
    public static string PicksWithFeedback(this UpstreamState upstream, int count, string? hashKey = null)
    {
        var picks = new System.Text.StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var peer = upstream.SelectPeer(new PeerSelection(HashKey: hashKey));
            picks.Append(peer?.Host ?? "-");
            if (peer is not null)
            {
                upstream.Feedback(peer, failed: false);
            }
        }

        return picks.ToString();
    }
}
