using Shouldly;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Tests.Scripting.Runtime;

public sealed class ScriptThreadPoolTests
{
    [Fact]
    public async Task QueueTask_AllThreadsBlocked_GrowsAndRunsTheWaitingWork()
    {
        using var pool = new ScriptThreadPool(stackMegabytes: 4, minThreads: 2, maxThreads: 4);
        using var release = new ManualResetEventSlim();
        var factory = new TaskFactory(pool);
        var blocked = Enumerable.Range(0, 3).Select(_ => factory.StartNew(() => release.Wait(TimeSpan.FromSeconds(30)))).ToArray();

        var name = await factory.StartNew(() => Thread.CurrentThread.Name).WaitAsync(TimeSpan.FromSeconds(20));

        name.ShouldBe("slardar-script");
        blocked.ShouldAllBe(t => !t.IsCompleted);
        pool.Threads.ShouldBe(4);
        release.Set();
        await Task.WhenAll(blocked);
    }
}
