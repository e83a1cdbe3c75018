using Shouldly;
using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Tests.Store;

public sealed class GatewayStoreConcurrencyTests : IDisposable
{
    private const int Threads = 8;
    private const int PutsPerThread = 25;

    private readonly StoreFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Put_ManyThreadsOneName_AllLandWithDistinctVersions()
    {
        using var store = _folder.Open();

        var results = await RunThreads(Threads, thread => Enumerable.Range(0, PutsPerThread)
            .Select(i => store.Put(StoreKinds.Upstream, "api", $"{thread}-{i}", StoreOrigins.Api))
            .ToList());

        var returned = results.SelectMany(r => r).ToList();
        returned.ShouldAllBe(v => !v.Unchanged);
        returned.Select(v => v.Version).Order().ShouldBe(Enumerable.Range(1, Threads * PutsPerThread));
        var history = store.Versions(StoreKinds.Upstream, "api");
        history.Select(v => v.Version).ShouldBe(Enumerable.Range(1, Threads * PutsPerThread).Reverse());
        history.Select(v => v.Content).Order().ShouldBe(returned.Select(v => v.Content).Order());
        store.Get(StoreKinds.Upstream, "api")!.Version.ShouldBe(Threads * PutsPerThread);
    }

    [Fact]
    public async Task Put_ManyThreadsWhileReading_ReadsNeverSeeAHalfWrite()
    {
        using var store = _folder.Open();
        store.Put(StoreKinds.Upstream, "api", "0", StoreOrigins.Api);

        await RunThreads(Threads, thread =>
        {
            for (var i = 0; i < PutsPerThread; i++)
            {
                if (thread % 2 == 0)
                {
                    store.Put(StoreKinds.Upstream, "api", $"{thread}-{i}", StoreOrigins.Api);
                }
                else
                {
                    // The document always points at a version that exists, with that version's content.
                    var current = store.Get(StoreKinds.Upstream, "api")!;
                    store.GetVersion(StoreKinds.Upstream, "api", current.Version)!.Content.ShouldBe(current.Content);
                }
            }

            return 0;
        });

        store.Versions(StoreKinds.Upstream, "api").Count.ShouldBe(1 + (Threads / 2 * PutsPerThread));
    }

    [Fact]
    public async Task Put_TwoInstancesOnOneFile_SerializedWithDistinctVersions()
    {
        using var first = _folder.Open();
        using var second = _folder.Open();

        var results = await RunThreads(Threads, thread => Enumerable.Range(0, PutsPerThread)
            .Select(i => (thread % 2 == 0 ? first : second).Put(StoreKinds.Script, "h/rewrite", $"{thread}-{i}", StoreOrigins.File))
            .ToList());

        results.SelectMany(r => r).Select(v => v.Version).Order().ShouldBe(Enumerable.Range(1, Threads * PutsPerThread));
        first.Versions(StoreKinds.Script, "h/rewrite").Count.ShouldBe(Threads * PutsPerThread);
    }

    [Fact]
    public void Put_OneInstance_VisibleToAnotherOpenOnTheSameFile()
    {
        using var writer = _folder.Open();
        using var reader = _folder.Open();
        reader.Get(StoreKinds.Upstream, "api").ShouldBeNull();

        writer.Put(StoreKinds.Upstream, "api", "one", StoreOrigins.Api);
        writer.Audit("upstream.put", "upstream/api", null, "alice");

        reader.Get(StoreKinds.Upstream, "api")!.Content.ShouldBe("one");
        reader.RecentAudit(1).ShouldHaveSingleItem().Actor.ShouldBe("alice");

        // The other way round, and the version numbering is shared.
        reader.Put(StoreKinds.Upstream, "api", "two", StoreOrigins.Api).Version.ShouldBe(2);
        writer.Get(StoreKinds.Upstream, "api")!.Content.ShouldBe("two");
        writer.Delete(StoreKinds.Upstream, "api", StoreOrigins.Api)!.Version.ShouldBe(3);
        reader.Get(StoreKinds.Upstream, "api").ShouldBeNull();
    }

    private static async Task<T[]> RunThreads<T>(int count, Func<int, T> body)
    {
        // Released together so the writes really contend instead of running one after another.
        using var start = new Barrier(count);
        var tasks = Enumerable.Range(0, count)
            .Select(thread => Task.Factory.StartNew(
                () =>
                {
                    start.SignalAndWait();
                    return body(thread);
                },
                CancellationToken.None,
                TaskCreationOptions.LongRunning,
                TaskScheduler.Default))
            .ToArray();
        return await Task.WhenAll(tasks);
    }
}
