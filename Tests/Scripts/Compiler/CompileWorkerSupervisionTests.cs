using System.Diagnostics;
using Shouldly;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Scripts.Compiler;

/// <summary>
/// The gateway's compile worker as a process that dies, hangs and fills up: each gateway here has its
/// own worker (it sets Scripts:Compiler:*), which the test kills, freezes (SIGSTOP) or ends with a
/// signal it does not handle (SIGUSR2: it dies by itself, as on a stack overflow), and the gateway
/// answers every compile with a clear status.
/// </summary>
public sealed class CompileWorkerSupervisionTests
{
    private const string Ok = """return Exit(200, "ok");""";
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task Compile_WorkerKilledBetweenCompiles_IsRestartedAndTheNextCompileWorks()
    {
        await using var gateway = await StartAsync(("Concurrency", "1"));
        (await gateway.AdminAsync(HttpMethod.Post, "/script/a.test/rewrite?dry_run=true", Ok)).Status.ShouldBe(200);
        var first = gateway.Compiler.ProcessId!.Value;

        using (var worker = Process.GetProcessById(first))
        {
            worker.Kill();
            await worker.WaitForExitAsync();
        }

        (await gateway.AdminAsync(HttpMethod.Post, "/script/a.test/rewrite?dry_run=true", Ok)).Status.ShouldBe(200);
        gateway.Compiler.ProcessId.ShouldNotBe(first);
        gateway.Compiler.Starts.ShouldBe(2);
    }

    [Fact]
    public async Task Compile_WorkerDoesNotAnswer_Is400TimedOutAndTheWorkerIsReplaced()
    {
        await using var gateway = await StartAsync(("Concurrency", "1"), ("TimeoutSeconds", "1"));
        var frozen = await FreezeWorkerAsync(gateway);

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/script/a.test/rewrite?dry_run=true", Ok);

        status.ShouldBe(400);
        json!["msg"]!.GetValue<string>().ShouldContain("Scripts:Compiler:TimeoutSeconds");
        json["msg"]!.GetValue<string>().ShouldContain("replaced");
        (await gateway.AdminAsync(HttpMethod.Post, "/script/a.test/rewrite?dry_run=true", Ok)).Status.ShouldBe(200);
        gateway.Compiler.ProcessId.ShouldNotBe(frozen);
    }

    [Fact]
    public async Task Compile_SlowerThanTheTimeLimit_Is400CanceledInTheWorker()
    {
        await using var gateway = await StartAsync(("Concurrency", "1"), ("TimeoutSeconds", "0.1"));

        var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/script/a.test/rewrite?dry_run=true", CompilerBombs.Statements(5_000));

        status.ShouldBe(400);
        json!["msg"]!.GetValue<string>().ShouldStartWith("compile timed out after 0.1 s (Scripts:Compiler:TimeoutSeconds)");
    }

    [Fact]
    public async Task Compile_QueueFull_Is503()
    {
        await using var gateway = await StartAsync(("Concurrency", "1"), ("QueueLimit", "1"), ("TimeoutSeconds", "60"));
        var worker = await FreezeWorkerAsync(gateway);
        try
        {
            var inFlight = gateway.AdminAsync(HttpMethod.Post, "/script/a.test/rewrite?dry_run=true", Ok);
            await Poll.UntilAsync(() => Task.FromResult(gateway.Compiler.InFlight), n => n == 1, Bound, "one compile in flight");
            var waiting = gateway.AdminAsync(HttpMethod.Post, "/script/b.test/rewrite?dry_run=true", Ok);
            await Poll.UntilAsync(() => Task.FromResult(gateway.Compiler.Waiting), n => n == 1, Bound, "one compile waiting");

            var (status, json) = await gateway.AdminAsync(HttpMethod.Post, "/script/c.test/rewrite?dry_run=true", Ok);

            status.ShouldBe(503);
            json!["msg"]!.GetValue<string>().ShouldStartWith("compile queue is full");
            json["msg"]!.GetValue<string>().ShouldContain("Scripts:Compiler:QueueLimit");
            ProcessSignals.Send(worker, "CONT");
            (await inFlight).Status.ShouldBe(200);
            (await waiting).Status.ShouldBe(200);
        }
        finally
        {
            ProcessSignals.Send(worker, "CONT");
        }
    }

    [Fact]
    public async Task Compile_WorkerKilledUnderTwoCompiles_BothAreRetriedOnTheNewWorker()
    {
        await using var gateway = await StartAsync(("Concurrency", "2"), ("TimeoutSeconds", "60"));
        var worker = await FreezeWorkerAsync(gateway);
        var first = gateway.AdminAsync(HttpMethod.Post, "/script/a.test/rewrite?dry_run=true", Ok);
        var second = gateway.AdminAsync(HttpMethod.Post, "/script/b.test/rewrite?dry_run=true", Ok);
        await Poll.UntilAsync(() => Task.FromResult(gateway.Compiler.InFlight), n => n == 2, Bound, "two compiles in flight");

        ProcessSignals.Send(worker, "KILL");

        (await first).Status.ShouldBe(200);
        (await second).Status.ShouldBe(200);
        gateway.Compiler.Starts.ShouldBe(2);
    }

    [Fact]
    public async Task Compile_WorkerCrashesUnderOneSource_Is400AndTheSourceIsNotCompiledAgainAfterARestart()
    {
        const string Crasher = """return Exit(200, "crashes the compiler");""";
        var folder = Directory.CreateTempSubdirectory("slardar-test-").FullName;
        var gateway = await StartAsync(folder, ("Concurrency", "1"), ("TimeoutSeconds", "60"));
        try
        {
            var worker = await FreezeWorkerAsync(gateway);
            var post = gateway.AdminAsync(HttpMethod.Post, "/script/crash.test/rewrite", Crasher);
            await Poll.UntilAsync(() => Task.FromResult(gateway.Compiler.InFlight), n => n == 1, Bound, "the compile in flight");

            // The worker dies by itself under this one compile, as on a stack overflow (which aborts it):
            // SIGUSR2 ends a .NET process (exit 140; an external SIGABRT is handled by the runtime), and
            // the frozen worker gets it when continued.
            ProcessSignals.Send(worker, "USR2");
            ProcessSignals.Send(worker, "CONT");

            var (status, json) = await post;
            status.ShouldBe(400);
            json!["msg"]!.GetValue<string>().ShouldStartWith("the compiler crashed on this source");
            (await gateway.AdminAsync(HttpMethod.Post, "/script/other.test/rewrite", Ok)).Status.ShouldBe(200);
        }
        finally
        {
            // Stopped, not disposed: the restart below uses its folder and store.
            await gateway.StopAsync();
        }

        Directory.CreateDirectory(Path.Combine(folder, "Scripts", "crash.test"));
        await File.WriteAllTextAsync(Path.Combine(folder, "Scripts", "crash.test", "rewrite.csx"), Crasher);
        await using var restarted = await StartAsync(folder, ("Concurrency", "1"));

        var (_, script) = await restarted.AdminAsync(HttpMethod.Get, "/script/crash.test/rewrite");
        script!["compile_state"]!.GetValue<string>().ShouldBe("error");
        script["last_error"]!["diagnostics"]![0]!["message"]!.GetValue<string>().ShouldStartWith("the compiler crashed on this source earlier");
        (await restarted.AdminAsync(HttpMethod.Get, "/script/other.test/rewrite")).Json!["serving"]!.GetValue<bool>().ShouldBeTrue();
    }

    // Compiles sent to a stopped worker stay in flight until it is continued or killed.
    private static async Task<int> FreezeWorkerAsync(TestGateway gateway)
    {
        await gateway.Compiler.StartAsync();
        var worker = gateway.Compiler.ProcessId!.Value;
        ProcessSignals.Send(worker, "STOP");
        return worker;
    }

    private static Task<TestGateway> StartAsync(params (string Key, string Value)[] compiler) => StartAsync(null, compiler);

    private static Task<TestGateway> StartAsync(string? folder, params (string Key, string Value)[] compiler) =>
        TestGateway.StartAsync(compiler.ToDictionary(c => "Scripts:Compiler:" + c.Key, c => (string?)c.Value), folder: folder);
}
