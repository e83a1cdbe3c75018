using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Runtime;

public sealed class ScriptRunTests
{
    private const string Seed = "if (Request.Method == \"DELETE\") return Exit(403);";

    private const string DesignBalancer = """
        if (LastFailure is { Kind: FailureKind.Failed } f) Checkups.Feedback(Upstream, f.Peer, failed: true);
        SetCurrentPeer(Checkups.SelectPeer(Upstream));
        SetMoreTries(1);
        """;

    [Fact]
    public async Task RunAsync_SeedExampleOnDelete_Exits403()
    {
        var outcome = await TestScripts.RunAsync(Seed, TestScripts.Context(new FakeScriptRequest { Method = "DELETE" }));

        outcome.Status.ShouldBe(ScriptRunStatus.Completed);
        outcome.Result.IsExit.ShouldBeTrue();
        outcome.Result.Status.ShouldBe(403);
        outcome.Result.Body.ShouldBeNull();
        outcome.Result.ErrorCode.ShouldBeNull();
    }

    [Fact]
    public async Task RunAsync_SeedExampleOnGet_ReturnsNext()
    {
        var outcome = await TestScripts.RunAsync(Seed, TestScripts.Context(new FakeScriptRequest { Method = "GET" }));

        outcome.Succeeded.ShouldBeTrue();
        outcome.Result.ShouldBe(ScriptResult.Next);
        outcome.Result.IsExit.ShouldBeFalse();
    }

    [Fact]
    public void Run_DesignBalancerExample_DrivesCheckups()
    {
        var a = new Peer("10.0.5.108", 4001);
        var b = new Peer("10.0.5.109", 4001);
        var checkups = new FakeScriptCheckups().With("node-dev.example.com", a, b);
        var generation = TestScripts.Load(DesignBalancer, ScriptPhase.Balancer);
        var context = TestScripts.Context();

        var first = new BalancerTurn("node-dev.example.com", checkups, tries: 0, lastFailure: null);
        generation.Run(context, first).Succeeded.ShouldBeTrue();
        var second = new BalancerTurn("node-dev.example.com", checkups, tries: 1, new TryFailureInfo(FailureKind.Failed, 502, a));
        generation.Run(context, second).Succeeded.ShouldBeTrue();
        var third = new BalancerTurn("node-dev.example.com", checkups, tries: 2, new TryFailureInfo(FailureKind.Next, 404, b));
        generation.Run(context, third).Succeeded.ShouldBeTrue();
        generation.Retire();

        (first.PeerSet, first.Peer, first.MoreTries).ShouldBe((true, a, 1));
        second.Peer.ShouldBe(b);
        third.Peer.ShouldBe(a);
        checkups.Feedbacks.ShouldBe([("node-dev.example.com", a, true)]);
        checkups.Selections.Count.ShouldBe(3);
    }

    [Fact]
    public void Run_BalancerWithNoPeer_SetsNullPeer()
    {
        var turn = new BalancerTurn("empty", new FakeScriptCheckups(), 0, null);
        var generation = TestScripts.Load(DesignBalancer, ScriptPhase.Balancer);

        generation.Run(TestScripts.Context(), turn).Succeeded.ShouldBeTrue();
        generation.Retire();

        (turn.PeerSet, turn.Peer).ShouldBe((true, null));
    }

    [Fact]
    public void Run_BalancerSettingHostAndPortWithHashKey_IsRecorded()
    {
        const string source = """
            var key = Request.Headers["X-User"] ?? Request.ClientIp;
            var peer = Checkups.SelectPeer("chash-upstream", key);
            if (peer is null) return Exit(503);
            SetCurrentPeer(peer.Host, peer.Port + Tries);
            """;
        var checkups = new FakeScriptCheckups().With("chash-upstream", new Peer("10.0.0.7", 80));
        var request = new FakeScriptRequest();
        request.Headers["x-user"] = "alice";
        var turn = new BalancerTurn("chash-upstream", checkups, tries: 1, null);
        var generation = TestScripts.Load(source, ScriptPhase.Balancer);

        generation.Run(TestScripts.Context(request), turn).Succeeded.ShouldBeTrue();
        generation.Retire();

        turn.Peer.ShouldBe(new Peer("10.0.0.7", 81));
        checkups.Selections.ShouldBe([("chash-upstream", "alice")]);
    }

    [Fact]
    public void Run_BalancerSettingAnInvalidPort_FaultsAtItsLine()
    {
        var generation = TestScripts.Load("var port = 70000;\nSetCurrentPeer(\"10.0.0.1\", port);", ScriptPhase.Balancer);

        var outcome = generation.Run(TestScripts.Context(), new BalancerTurn("up", new FakeScriptCheckups(), 0, null));
        generation.Retire();

        outcome.Status.ShouldBe(ScriptRunStatus.Faulted);
        outcome.Failure!.Line.ShouldBe(2);
        outcome.Failure.ExceptionType.ShouldBe(typeof(ArgumentOutOfRangeException).FullName);
    }

    [Fact]
    public async Task RunAsync_AwaitTaskDelay_Completes()
    {
        const string source = """
            await Task.Delay(5);
            Vars["after"] = true;
            return Exit(202);
            """;
        var context = TestScripts.Context();
        var limits = ScriptLimits.Default with { MaxDuration = TimeSpan.FromSeconds(30) };

        var outcome = await TestScripts.RunAsync(source, context, limits: limits);

        outcome.Status.ShouldBe(ScriptRunStatus.Completed);
        outcome.Result.Status.ShouldBe(202);
        context.Vars["after"].ShouldBe(true);
    }

    [Fact]
    public async Task RunAsync_ThrowingScript_FaultsWithMessageAndUserLine()
    {
        const string source = """
            using System.Globalization;
            var count = int.Parse("2", CultureInfo.InvariantCulture);

            if (count == 2)
                throw new InvalidOperationException("boom");
            return Next;
            """;

        var outcome = await TestScripts.RunAsync(source);

        outcome.Status.ShouldBe(ScriptRunStatus.Faulted);
        outcome.Failure.ShouldNotBeNull();
        outcome.Failure.ExceptionType.ShouldBe(typeof(InvalidOperationException).FullName);
        outcome.Failure.Message.ShouldBe("boom");
        outcome.Failure.Line.ShouldBe(5);
    }

    [Fact]
    public async Task RunAsync_ThrowInsideLambdaAfterAwait_ReportsTheLambdaLine()
    {
        const string source = """
            await Task.Yield();
            for (var i = 0; i < 3; i++) { Vars["i"] = i; }
            Func<int, int> check = n =>
                n > 1 ? throw new ArgumentException("too big") : n;
            check(5);
            """;

        // After Task.Yield the rest runs when the thread pool gets to it, which on a loaded 2-core
        // machine (the browser tests run beside this one) can be past the default 50 ms budget; the
        // budget is not what this test is about.
        var limits = ScriptLimits.Default with { MaxDuration = TimeSpan.FromSeconds(30) };
        var outcome = await TestScripts.RunAsync(source, limits: limits);

        outcome.Status.ShouldBe(ScriptRunStatus.Faulted);
        (outcome.Failure!.Message, outcome.Failure.Line).ShouldBe(("too big", 4));
    }

    [Fact]
    public async Task RunAsync_ExitWithErrorCode_BehavesLikeSlardarExit()
    {
        var outcome = await TestScripts.RunAsync("return Exit(40099999, \"exit try code\");");

        outcome.Result.Status.ShouldBe(400);
        outcome.Result.ErrorCode.ShouldBe(40099999);
        outcome.Result.Body.ShouldBe("{\"code\":40099999,\"msg\":\"exit try code\"}");
        outcome.Result.ContentType.ShouldBe("application/json");
    }

    [Fact]
    public async Task RunAsync_InvalidExitCode_Faults()
    {
        var outcome = await TestScripts.RunAsync("return Exit(99);");

        outcome.Status.ShouldBe(ScriptRunStatus.Faulted);
        outcome.Failure!.Line.ShouldBe(1);
    }

    [Fact]
    public async Task RunAsync_RewriteAndAuth_ShareVarsAndUpstream()
    {
        const string rewrite = """
            Request.Headers["X-Forwarded-Host"] = Request.Host;
            Request.Path = "/v2" + Request.Path;
            Vars["tenant"] = Request.Query["tenant"];
            Upstream = "tenant-" + Request.Query["tenant"];
            Log.Info($"routing {Request.Path} to {Upstream}");
            """;
        const string auth = """
            if (Vars["tenant"] is not string tenant || !Upstream!.EndsWith(tenant)) return Exit(401);
            return Request.Headers["Authorization"] == "Bearer good" ? Next : Exit(40300001, "bad token");
            """;
        var request = new FakeScriptRequest { Path = "/items", QueryString = "tenant=acme&x=1" };
        request.Headers["Authorization"] = "Bearer bad";
        var context = TestScripts.Context(request, upstream: null);

        var rewritten = await TestScripts.RunAsync(rewrite, context);
        var authorized = await TestScripts.RunAsync(auth, context, ScriptPhase.Auth);

        rewritten.Result.ShouldBe(ScriptResult.Next);
        request.Path.ShouldBe("/v2/items");
        request.Headers["x-forwarded-host"].ShouldBe("admin.example.com");
        context.Upstream.ShouldBe("tenant-acme");
        ((RecordingScriptLog)context.Log).Lines.ShouldBe(["info: routing /v2/items to tenant-acme"]);
        (authorized.Result.Status, authorized.Result.ErrorCode).ShouldBe((403, 40300001));
    }

    [Fact]
    public async Task RunAsync_Balancer_Throws()
    {
        var generation = TestScripts.Load("return Next;", ScriptPhase.Balancer);

        await Should.ThrowAsync<InvalidOperationException>(async () => await generation.RunAsync(TestScripts.Context()));
        generation.Retire();
    }

    [Fact]
    public async Task RunAsync_Outcomes_AreCounted()
    {
        var generation = TestScripts.Load("if (Request.Path == \"/boom\") throw new Exception(\"boom\"); return Next;");

        await generation.RunAsync(TestScripts.Context(new FakeScriptRequest { Path = "/ok" }));
        await generation.RunAsync(TestScripts.Context(new FakeScriptRequest { Path = "/boom" }));
        await generation.RunAsync(TestScripts.Context(new FakeScriptRequest { Path = "/ok" }));
        generation.Retire();

        var counters = generation.Counters.Snapshot();
        (counters.Invocations, counters.Faulted, counters.BudgetExceeded, counters.Canceled).ShouldBe((3L, 1L, 0L, 0L));
        counters.P99.ShouldBeGreaterThanOrEqualTo(counters.P50);
    }

    [Fact]
    public async Task RunAsync_RequestAbortedWhileAwaiting_IsCanceled()
    {
        using var aborted = new CancellationTokenSource();
        var generation = TestScripts.Load("await Task.Delay(-1); return Next;", limits: ScriptLimits.Default with { MaxDuration = Timeout.InfiniteTimeSpan });

        var run = generation.RunAsync(TestScripts.Context(), cancellationToken: aborted.Token).AsTask();
        await aborted.CancelAsync();
        var outcome = await run;
        generation.Retire();

        outcome.Status.ShouldBe(ScriptRunStatus.Canceled);
    }

    [Fact]
    public async Task RunAsync_AwaitOutlivingTheDeadline_IsOverBudget()
    {
        var generation = TestScripts.Load("await Task.Delay(-1); return Next;", limits: ScriptLimits.Default with { MaxDuration = TimeSpan.FromMilliseconds(20) });

        var outcome = await generation.RunAsync(TestScripts.Context());
        generation.Retire();

        outcome.Status.ShouldBe(ScriptRunStatus.BudgetExceeded);
        outcome.Failure!.Limit.ShouldBe(BudgetLimit.Duration);
    }
}
