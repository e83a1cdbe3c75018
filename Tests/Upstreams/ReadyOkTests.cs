using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Observability.Metrics;
using Slardar.Scriptable.Host.Upstreams;
using Slardar.Scriptable.Scripting.Api;
using Xunit;
using static Slardar.Scriptable.Tests.Checkups.Upstreams;

namespace Slardar.Scriptable.Tests.Upstreams;

/// <summary>checkups' <c>ready_ok</c> (passive.t, try_timeout.t, cluster_key.t) as a caller of the try engine: the proxy's rules.</summary>
public sealed class ReadyOkTests : IDisposable
{
    /// <summary>The gateway's default <c>Proxy:Tries</c> in these tests.</summary>
    private const int GatewayTries = 2;

    private readonly FakeTimeProvider _time = new();
    private readonly UpstreamRegistry _registry;
    private readonly GatewayMetrics _metrics = new();
    private readonly ReadyOk _readyOk;
    private readonly List<string> _calls = [];

    public ReadyOkTests()
    {
        _registry = new UpstreamRegistry(_time);
        var defaults = new RetryPolicy(GatewayTries, TimeSpan.Zero, NextUpstreamConditions.Error | NextUpstreamConditions.Timeout, TimeSpan.FromSeconds(3));
        _readyOk = new ReadyOk(_registry, new TryEngine(defaults, _metrics, _time, NullLogger<TryEngine>.Instance));
    }

    public void Dispose() => _metrics.Dispose();

    private UpstreamState Current => _registry.TryGet("up", out var upstream) ? upstream : throw new InvalidOperationException();

    /// <summary>A callback that answers "ok:&lt;host&gt;" from the hosts in <paramref name="good"/> and "bad" from the others.</summary>
    private Func<Peer, CancellationToken, Task<string>> Answers(params string[] good) => (peer, _) =>
    {
        _calls.Add(peer.Host);
        return Task.FromResult(good.Contains(peer.Host) ? "ok:" + peer.Host : "bad");
    };

    private static bool IsOk(string result) => result.StartsWith("ok:", StringComparison.Ordinal);

    private Task<ReadyOkResult<string>> Run(Func<Peer, CancellationToken, Task<string>> callback, ReadyOkOptions? options = null) =>
        _readyOk.RunAsync("up", callback, IsOk, options);

    [Fact]
    public async Task ReadyOk_FirstPeerFails_SucceedsOnTheSecond()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b")));

        var result = await Run(Answers("b"));

        result.Status.ShouldBe(ReadyOkStatus.Success);
        result.Value.ShouldBe("ok:b");
        result.Peer.ShouldNotBeNull().Host.ShouldBe("b");
        result.Tries.ShouldBe(2);
        result.Error.ShouldBeNull();
        Current.Named("a").Failures.ShouldBe(1, "each try feeds passive health");
        Current.Levels[0].ShouldAllBe(p => p.InFlight == 0);
    }

    [Fact]
    public async Task ReadyOk_EveryPeerFails_EachIsTriedOnceThenNoServers()
    {
        _registry.Set(Config("up", Peer("a", maxFails: 0), Peer("b", maxFails: 0)));

        var result = await Run(Answers(), new ReadyOkOptions { Tries = 10 });

        _calls.Order().ToArray().ShouldBe(["a", "b"], "a peer that failed in this call is not retried in it");
        result.Status.ShouldBe(ReadyOkStatus.NoServersAvailable);
        result.Error.ShouldBe("no servers available");
        result.Value.ShouldBeNull(customMessage: "never a stale result with the error (Q-C4)");
        result.Peer.ShouldBeNull();
    }

    [Fact]
    public async Task ReadyOk_TriesOption_LimitsFailedTries()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b"), Peer("c"), Peer("d")));

        var result = await Run(Answers("d"), new ReadyOkOptions { Tries = 2 });

        result.Status.ShouldBe(ReadyOkStatus.TriesExhausted);
        result.Tries.ShouldBe(2);
        _calls.Count.ShouldBe(2);
        result.Error.ShouldBe($"2 tries failed, last {_calls[^1]}:80: result not accepted");
    }

    [Fact]
    public async Task ReadyOk_UpstreamTry_IsTheDefaultLimit()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b"), Peer("c"), Peer("d"), Peer("e")) with { Tries = 3 });

        (await Run(Answers())).Tries.ShouldBe(3);
    }

    [Fact]
    public async Task ReadyOk_NoTryAnywhere_LimitIsTheGatewaysTries()
    {
        // checkups defaulted to the number of peers; the engine's rule is the proxy's: Proxy:Tries.
        _registry.Set(NamedLevels("up", ("dc1", [Peer("a"), Peer("b")]), ("dc2", [Peer("c"), Peer("d"), Peer("e")])));

        var result = await Run(Answers(), new ReadyOkOptions { ClusterKeys = ["dc2"] });

        result.Status.ShouldBe(ReadyOkStatus.TriesExhausted);
        _calls.Count.ShouldBe(GatewayTries);
        _calls.ShouldAllBe(host => host == "c" || host == "d" || host == "e");
    }

    [Fact]
    public async Task ReadyOk_ClusterKeys_TriesLevelsInKeyOrder()
    {
        _registry.Set(NamedLevels("up", ("dc1", [Peer("a")]), ("dc2", [Peer("b")]), ("dc3", [Peer("c")])));

        var result = await Run(Answers("a"), new ReadyOkOptions { ClusterKeys = ["dc3", "nope", "dc1"] });

        _calls.ShouldBe(["c", "a"]);
        result.Value.ShouldBe("ok:a");
    }

    [Fact]
    public async Task ReadyOk_TryTimeout_StopsWhenCallbacksUseTheBudget()
    {
        // try_timeout.t: each failing peer takes 2 s; the budget of 3 s (wall time since the call began) is gone after two.
        _registry.Set(Config("up", Peer("a"), Peer("b"), Peer("c"), Peer("d")));
        var slowThenGood = Slow(TimeSpan.FromSeconds(2), good: "d");

        var result = await Run(slowThenGood, new ReadyOkOptions { TryTimeout = TimeSpan.FromSeconds(3), Tries = 10 });

        result.Status.ShouldBe(ReadyOkStatus.TryTimeoutExceeded);
        result.Error.ShouldBe("try_timeout exceeded");
        _calls.Count.ShouldBe(2);
    }

    [Fact]
    public async Task ReadyOk_UpstreamTryTimeout_AppliesAndZeroOptionTurnsItOff()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b"), Peer("c"), Peer("d")) with { TryTimeout = TimeSpan.FromSeconds(3), Tries = 10 });

        (await Run(Slow(TimeSpan.FromSeconds(2), good: "d"))).Status.ShouldBe(ReadyOkStatus.TryTimeoutExceeded);
        _calls.Clear();
        _time.Advance(TimeSpan.FromSeconds(10));
        var result = await Run(Slow(TimeSpan.FromSeconds(2), good: "d"), new ReadyOkOptions { TryTimeout = TimeSpan.Zero });

        result.Value.ShouldBe("ok:d");
    }

    [Fact]
    public async Task ReadyOk_CallbackThrows_CountsAsFailureAndMovesOn()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b")));

        var result = await Run((peer, _) => peer.Host == "a" ? throw new InvalidOperationException("boom") : Task.FromResult("ok:b"));

        result.Value.ShouldBe("ok:b");
        Current.Named("a").Failures.ShouldBe(1);
    }

    [Fact]
    public async Task ReadyOk_EveryCallbackThrows_ReturnsTheLastError()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b")));

        var result = await Run((peer, _) => Task.FromException<string>(new IOException("refused by " + peer.Host)));

        result.Status.ShouldBe(ReadyOkStatus.TriesExhausted);
        var exception = result.Exception.ShouldBeOfType<IOException>();
        result.Error.ShouldEndWith(exception.Message);
    }

    [Fact]
    public async Task ReadyOk_NoChosenLevelExists_NoServersAvailable()
    {
        _registry.Set(Config("up", Peer("a")));

        var result = await Run(Answers("a"), new ReadyOkOptions { ClusterKeys = ["2"] });

        result.Status.ShouldBe(ReadyOkStatus.NoServersAvailable);
        result.Tries.ShouldBe(0);
        _calls.ShouldBeEmpty();
    }

    [Fact]
    public async Task ReadyOk_UnknownUpstream_SaysSo()
    {
        var result = await _readyOk.RunAsync("nope", Answers("a"), IsOk);

        result.Status.ShouldBe(ReadyOkStatus.UpstreamNotFound);
        result.Error.ShouldBe("upstream nope not found");
    }

    [Fact]
    public async Task ReadyOk_CallerCancels_PropagatesAndReleasesThePeer()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b")));
        using var cancel = new CancellationTokenSource();

        await Should.ThrowAsync<OperationCanceledException>(() => _readyOk.RunAsync(
            "up",
            async (peer, ct) =>
            {
                await cancel.CancelAsync();
                ct.ThrowIfCancellationRequested();
                return "ok";
            },
            IsOk,
            cancellationToken: cancel.Token));

        Current.Levels[0].ShouldAllBe(p => p.InFlight == 0 && p.Failures == 0);
    }

    [Fact]
    public async Task ReadyOk_HashKey_GoesToTheKeysPeer()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b"), Peer("c")) with { Mode = Host.Checkups.Balancing.BalancingMode.Hash });
        var owner = Current.SelectPeer(new PeerSelection(HashKey: "/ab"))!;
        Current.Feedback(owner, failed: false);

        var result = await Run(Answers("a", "b", "c"), new ReadyOkOptions { HashKey = "/ab" });

        result.Peer.ShouldNotBeNull().Host.ShouldBe(owner.Host);
    }

    private Func<Peer, CancellationToken, Task<string>> Slow(TimeSpan each, string good) => (peer, _) =>
    {
        _calls.Add(peer.Host);
        _time.Advance(each);
        return Task.FromResult(peer.Host == good ? "ok:" + peer.Host : "bad");
    };
}
