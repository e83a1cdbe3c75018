using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Observability.Metrics;
using Slardar.Scriptable.Host.Upstreams;
using Xunit;
using static Slardar.Scriptable.Tests.Checkups.Upstreams;

namespace Slardar.Scriptable.Tests.Upstreams;

/// <summary>The try engine with a scripted transport on a fake clock: every classification, every retry rule, the budget's edges.</summary>
public sealed class TryEngineTests : IDisposable
{
    private static readonly RetryPolicy Defaults = new(
        Tries: 3,
        Budget: TimeSpan.FromSeconds(5),
        Conditions: NextUpstreamConditions.Error | NextUpstreamConditions.Timeout | NextUpstreamConditions.Http502,
        ConnectTimeout: TimeSpan.FromSeconds(3));

    private readonly FakeTimeProvider _time = new();
    private readonly GatewayMetrics _metrics = new();
    private readonly UpstreamRegistry _registry;
    private readonly TryEngine _engine;
    private readonly FakeTransport _transport;

    public TryEngineTests()
    {
        _registry = new UpstreamRegistry(_time);
        _engine = new TryEngine(Defaults, _metrics, _time, NullLogger<TryEngine>.Instance);
        _transport = new FakeTransport(_time);
        _registry.Set(Config("up", Peer("a", maxFails: 5), Peer("b", maxFails: 5), Peer("c", maxFails: 5)));
    }

    public void Dispose() => _metrics.Dispose();

    private UpstreamState Up => _registry.TryGet("up", out var upstream) ? upstream : throw new InvalidOperationException();

    private UpstreamCall Call(RetryPolicy? policy = null, bool idempotent = true, CancellationToken aborted = default) =>
        new(Up, policy ?? _engine.PolicyFor(Up.Config), _time, _time.GetTimestamp()) { IsIdempotent = idempotent, Aborted = aborted };

    private async Task<(UpstreamCallResult Result, UpstreamCall Call)> Run(UpstreamCall? call = null, FakeChooser? chooser = null)
    {
        call ??= Call();
        var result = await _engine.RunAsync<object?>(call, null, _transport, chooser);
        return (result, call);
    }

    private void AllSlotsFree() => Up.DistinctPeers.ShouldAllBe(p => p.InFlight == 0, "every selection gets exactly one answer");

    [Fact]
    public async Task RunAsync_FirstTrySucceeds_OneTryAndTheCallCompletes()
    {
        var (result, call) = await Run();

        result.End.ShouldBe(UpstreamCallEnd.Completed);
        call.Tries.Count.ShouldBe(1);
        call.LastTry!.Value.Failure.ShouldBe(TryFailure.None);
        call.LastTry!.Value.Status.ShouldBe(200);
        Up.DistinctPeers.ShouldAllBe(p => p.Failures == 0);
        AllSlotsFree();
    }

    [Theory]
    [InlineData(nameof(TryFailure.ConnectError))]
    [InlineData(nameof(TryFailure.ConnectTimeout))]
    [InlineData(nameof(TryFailure.Error))]
    [InlineData(nameof(TryFailure.Timeout))]
    public async Task RunAsync_FailureInNextUpstream_MovesToAnotherPeerAndCountsAgainstTheFirst(string failureName)
    {
        var failure = Enum.Parse<TryFailure>(failureName);
        _transport.Fallback = FakeTransport.Failed(failure);
        _transport.On("b", FakeTransport.Ok());
        _transport.On("c", FakeTransport.Ok());

        var (result, call) = await Run();

        result.End.ShouldBe(UpstreamCallEnd.Completed);
        call.Tries.Select(t => t.Failure).ShouldBe([failure, TryFailure.None]);
        call.Tries[0].Peer.Failures.ShouldBe(1);
        call.Tries[0].CountedAgainstPeer.ShouldBeTrue();
        call.Tries[1].Peer.ShouldNotBe(call.Tries[0].Peer, "a peer tried in this call is not tried again");
        AllSlotsFree();
    }

    [Fact]
    public async Task RunAsync_ConditionNotInNextUpstream_StopsAfterTheFirstTry()
    {
        var policy = Defaults with { Conditions = NextUpstreamConditions.Error };
        _transport.Fallback = FakeTransport.Failed(TryFailure.Timeout, 504);

        var (result, call) = await Run(Call(policy));

        result.End.ShouldBe(UpstreamCallEnd.NotRetryable);
        call.Attempts.ShouldBe(1);
        call.LastTry!.Value.Peer.Failures.ShouldBe(1, "a failure is a failure even when it is not retried");
    }

    [Theory]
    [InlineData(nameof(TryFailure.ConnectError), 2)]
    [InlineData(nameof(TryFailure.ConnectTimeout), 2)]
    [InlineData(nameof(TryFailure.Error), 1)]
    [InlineData(nameof(TryFailure.Timeout), 1)]
    public async Task RunAsync_NonIdempotentRequest_ResentOnlyWhenNothingReachedThePeer(string failureName, int expectedTries)
    {
        _transport.Fallback = FakeTransport.Failed(Enum.Parse<TryFailure>(failureName));

        var (_, call) = await Run(Call(idempotent: false, policy: Defaults with { Tries = 2 }));

        call.Attempts.ShouldBe(expectedTries);
    }

    [Fact]
    public async Task RunAsync_NonIdempotentAllowedByPolicy_ResentAfterAnError()
    {
        _transport.Fallback = FakeTransport.Failed(TryFailure.Error);
        var policy = Defaults with { Conditions = Defaults.Conditions | NextUpstreamConditions.NonIdempotent };

        var (_, call) = await Run(Call(policy, idempotent: false));

        call.Attempts.ShouldBe(3);
    }

    [Fact]
    public async Task RunAsync_FailedStatusWithATryLeft_IsHeldBackAndRetried()
    {
        _transport.On("a", FakeTransport.Status(502)).On("b", FakeTransport.Status(502)).On("c", FakeTransport.Status(502));

        var (result, call) = await Run(Call(Defaults with { Tries = 2 }));

        call.Tries.Select(t => t.Status).ShouldBe([502, 502]);
        result.End.ShouldBe(UpstreamCallEnd.Completed, "the last 502 was not held back: it went to the client as the answer");
        call.HeldBack.ShouldBeFalse();
        call.Tries.ShouldAllBe(t => t.Peer.Failures == 1, "the early report and the engine count one failure each, not two");
        AllSlotsFree();
    }

    [Theory]
    [InlineData(403)]
    [InlineData(404)]
    public async Task RunAsync_Status403Or404InNextUpstream_MovesOnWithoutBlamingThePeer(int status)
    {
        var flag = status == 403 ? NextUpstreamConditions.Http403 : NextUpstreamConditions.Http404;
        _transport.On("a", FakeTransport.Status(status)).On("b", FakeTransport.Status(status)).On("c", FakeTransport.Status(status));

        var (_, call) = await Run(Call(Defaults with { Conditions = flag }));

        call.Attempts.ShouldBe(3);
        call.Tries.ShouldAllBe(t => !t.CountedAgainstPeer && t.Peer.Failures == 0);
    }

    [Fact]
    public async Task RunAsync_StatusNotInNextUpstream_IsTheAnswer()
    {
        _transport.Fallback = FakeTransport.Ok(500);

        var (result, call) = await Run();

        result.End.ShouldBe(UpstreamCallEnd.Completed);
        call.Attempts.ShouldBe(1);
        call.LastTry!.Value.Failure.ShouldBe(TryFailure.None);
    }

    [Fact]
    public async Task RunAsync_ClientGone_EndsTheCallWithoutAVerdictOnThePeer()
    {
        _transport.Fallback = FakeTransport.Failed(TryFailure.Client, 499);

        var (result, call) = await Run();

        result.End.ShouldBe(UpstreamCallEnd.Completed);
        call.Attempts.ShouldBe(1);
        call.LastTry!.Value.Peer.Failures.ShouldBe(0);
        AllSlotsFree();
    }

    [Fact]
    public async Task RunAsync_FailureAfterTheResponseStarted_IsNeverRetried()
    {
        _transport.Fallback = new TryResult(TryFailure.AfterResponseStarted, 200, 200, ResponseStarted: true);

        var (result, call) = await Run();

        result.End.ShouldBe(UpstreamCallEnd.Completed);
        call.Attempts.ShouldBe(1);
        call.LastTry!.Value.Peer.Failures.ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_ErrorReportedWithResponseStarted_IsNotRetryable()
    {
        _transport.Fallback = new TryResult(TryFailure.Error, ResponseStarted: true);

        var (result, call) = await Run();

        result.End.ShouldBe(UpstreamCallEnd.NotRetryable);
        call.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_EveryTryFails_StopsAtTheTryLimit()
    {
        _registry.Set(Config("up", Peer("a"), Peer("b"), Peer("c"), Peer("d"), Peer("e")));
        _transport.Fallback = FakeTransport.Failed(TryFailure.ConnectError);

        var (result, call) = await Run();

        result.End.ShouldBe(UpstreamCallEnd.TriesUsedUp);
        call.Attempts.ShouldBe(Defaults.Tries);
        AllSlotsFree();
    }

    [Fact]
    public async Task RunAsync_MorePeersAllowedThanExist_EndsWithNoLivePeersAfterTryingEach()
    {
        _transport.Fallback = FakeTransport.Failed(TryFailure.ConnectError);

        var (result, call) = await Run(Call(Defaults with { Tries = 10 }));

        result.End.ShouldBe(UpstreamCallEnd.NoLivePeers);
        call.TriedPeers.Select(p => p.Host).Order().ShouldBe(["a", "b", "c"]);
    }

    [Fact]
    public async Task RunAsync_NoUsablePeer_NoTryAtAll()
    {
        _registry.Set(Config("up"));

        var (result, call) = await Run();

        result.End.ShouldBe(UpstreamCallEnd.NoLivePeers);
        call.Attempts.ShouldBe(0);
    }

    [Theory]
    [InlineData(999, 2)] // 1,999 ms after the call began: inside the 2 s budget, a second try starts
    [InlineData(1000, 1)] // exactly at the budget: no further try
    public async Task RunAsync_TimeBudget_IsWallTimeSinceTheCallBeganCheckedBeforeEachTry(int tryMilliseconds, int expectedTries)
    {
        var call = Call(Defaults with { Budget = TimeSpan.FromSeconds(2) });
        _time.Advance(TimeSpan.FromMilliseconds(1000)); // time before the first try (scripts, body) counts too
        _transport.TryDuration = TimeSpan.FromMilliseconds(tryMilliseconds);
        _transport.Fallback = FakeTransport.Failed(TryFailure.Error);

        var (result, _) = await Run(call);

        call.Attempts.ShouldBe(expectedTries);
        result.End.ShouldBe(UpstreamCallEnd.TimeBudgetUsedUp);
    }

    [Fact]
    public async Task RunAsync_ZeroBudget_MeansNoTimeLimit()
    {
        _transport.TryDuration = TimeSpan.FromHours(1);
        _transport.Fallback = FakeTransport.Failed(TryFailure.Error);

        var (result, call) = await Run(Call(Defaults with { Budget = TimeSpan.Zero }));

        result.End.ShouldBe(UpstreamCallEnd.TriesUsedUp);
        call.Attempts.ShouldBe(3);
    }

    [Fact]
    public async Task RunAsync_BodyNoLongerReplayable_NoFurtherTry()
    {
        var call = Call();
        call.Body = new FixedBody(canReplay: false);
        _transport.Fallback = FakeTransport.Failed(TryFailure.Error);

        var (result, _) = await Run(call);

        result.End.ShouldBe(UpstreamCallEnd.NotRetryable);
        call.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_ReplayableBody_IsRewoundBeforeEveryFurtherTry()
    {
        var call = Call();
        var body = new FixedBody(canReplay: true);
        call.Body = body;
        _transport.Fallback = FakeTransport.Failed(TryFailure.Error);

        await Run(call);

        body.Rewinds.ShouldBe(2);
    }

    [Fact]
    public async Task RunAsync_CallerAborted_NoFurtherTry()
    {
        using var aborted = new CancellationTokenSource();
        await aborted.CancelAsync();
        _transport.Fallback = FakeTransport.Failed(TryFailure.ConnectError);

        var (result, call) = await Run(Call(aborted: aborted.Token));

        result.End.ShouldBe(UpstreamCallEnd.NotRetryable);
        call.Attempts.ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_TransportThrows_FreesThePeerAndPropagates()
    {
        var throwing = new ThrowingTransport();

        await Should.ThrowAsync<InvalidOperationException>(async () => await _engine.RunAsync<object?>(Call(), null, throwing));

        AllSlotsFree();
        Up.DistinctPeers.ShouldAllBe(p => p.Failures == 0);
    }

    [Fact]
    public async Task RunAsync_ChooserPicksAPeer_ItsLeaseIsReleasedOnceAndPassiveHealthIsLeftToIt()
    {
        var chooser = new FakeChooser((call, self) => self.Choose(call.Upstream.Named("b")));
        _transport.On("b", FakeTransport.Failed(TryFailure.Error), FakeTransport.Ok());

        var (result, call) = await Run(chooser: chooser);

        result.End.ShouldBe(UpstreamCallEnd.TriesUsedUp, "a chooser allows one try unless it asks for more");
        call.Attempts.ShouldBe(1);
        chooser.Released.ShouldBe(1);
        Up.Named("b").Failures.ShouldBe(0, "the chooser owns passive health for its peer");
        Up.Named("b").InFlight.ShouldBe(0);
    }

    [Fact]
    public async Task RunAsync_ChooserAllowsMoreTries_SeesEachFailureAsTheLastTry()
    {
        var chooser = new FakeChooser((call, self) =>
        {
            call.AllowMoreTries(1);
            return PeerChoice.Default;
        });
        _transport.Fallback = FakeTransport.Failed(TryFailure.ConnectError);

        var (_, call) = await Run(chooser: chooser);

        call.Attempts.ShouldBe(3, "the upstream's limit still holds");
        chooser.SeenLastTries[0].ShouldBeNull();
        chooser.SeenLastTries[1]!.Value.Failure.ShouldBe(TryFailure.ConnectError);
        chooser.SeenLastTries[2]!.Value.Peer.ShouldBe(call.Tries[1].Peer);
        call.Tries.ShouldAllBe(t => t.Peer.Failures == 1, "the default selection's peers get passive health as usual");
    }

    [Fact]
    public async Task RunAsync_ChooserChoosesNone_EndsWithoutATry()
    {
        var (result, call) = await Run(chooser: new FakeChooser((_, _) => PeerChoice.None));

        result.End.ShouldBe(UpstreamCallEnd.NoPeerChosen);
        call.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task RunAsync_ChooserAnswers_EndsWithItsErrorCode()
    {
        var (result, call) = await Run(chooser: new FakeChooser((_, _) => PeerChoice.Answered(40300001)));

        result.End.ShouldBe(UpstreamCallEnd.Answered);
        result.ErrorCode.ShouldBe(40300001);
        call.Attempts.ShouldBe(0);
    }

    [Fact]
    public async Task RunAsync_MaxFailsReached_CountsOnePassiveTakeOut()
    {
        _registry.Set(Config("up", Peer("a", maxFails: 1), Peer("b", maxFails: 1)));
        _transport.On("a", FakeTransport.Failed(TryFailure.ConnectError));
        _transport.On("b", FakeTransport.Failed(TryFailure.ConnectError));

        var (_, call) = await Run(Call(Defaults with { Tries = 1 }));

        call.LastTry!.Value.Peer.Health.TakeOuts.ShouldBe(1);
        call.LastTry!.Value.Peer.IsUsable(_time.GetTimestamp()).ShouldBeFalse();
    }

    [Fact]
    public void ShouldHoldBack_OnlyWhileAnotherTryCouldStart()
    {
        var call = Call(Defaults with { Tries = 2 });
        call.BeginTry(Up.Named("a"), chosenByChooser: false);
        call.ShouldHoldBack(502).ShouldBeTrue();
        call.ShouldHoldBack(500).ShouldBeFalse("500 is not in next_upstream here");

        call.BeginTry(Up.Named("b"), chosenByChooser: false);
        call.ShouldHoldBack(502).ShouldBeFalse("no try is left: the 502 is the answer");
    }

    [Fact]
    public void PolicyFor_TwoEnginesWithOtherDefaults_EachAppliesItsOwn()
    {
        var other = new TryEngine(Defaults with { Tries = 7 }, _metrics, _time, NullLogger<TryEngine>.Instance);
        var config = Up.Config;

        _engine.PolicyFor(config).Tries.ShouldBe(3);
        other.PolicyFor(config).Tries.ShouldBe(7);
        _engine.PolicyFor(config with { Tries = 1 }).Tries.ShouldBe(1, "the upstream's own try wins");
    }

    private sealed class FixedBody(bool canReplay) : IReplayableBody
    {
        public int Rewinds { get; private set; }

        public bool CanReplay => canReplay;

        public void Rewind() => Rewinds++;
    }

    private sealed class ThrowingTransport : ITryTransport<object?>
    {
        public ValueTask<TryResult> SendAsync(UpstreamCall call, object? state, PeerState peer) => throw new InvalidOperationException("transport bug");
    }
}
