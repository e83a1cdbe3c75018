using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;
using Slardar.Scriptable.Host.Consul;
using Slardar.Scriptable.Host.Store;
using Slardar.Scriptable.Tests.Store;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Consul;

/// <summary>Scripts' <c>Config["key"]</c> against the Consul double, on a clock that moves only when told.</summary>
public sealed class ConsulConfigCacheTests : IAsyncLifetime, IDisposable
{
    private const string Prefix = "config/slardar/";
    private static readonly TimeSpan PositiveTtl = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan NegativeTtl = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private readonly StoreFolder _folder = new();
    private ConsulDouble _consul = null!;
    private GatewayStore _store = null!;
    private ConsulClient _client = null!;
    private ConsulConfigCache _cache = null!;

    public async Task InitializeAsync()
    {
        _consul = await ConsulDouble.StartAsync();
        _client = ConsulTestClients.Create(_consul.Address, requestTimeout: TimeSpan.FromSeconds(2));
        _store = _folder.Open();
        _cache = new ConsulConfigCache(_client, _store, new ConsulKvLayout(Prefix), PositiveTtl, NegativeTtl, _folder.Time, NullLogger<ConsulConfigCache>.Instance);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _consul.DisposeAsync();
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task GetAsync_WithinPositiveTtl_ServesTheCachedValueThenRefreshesAfterIt()
    {
        _consul.Put(Prefix + "config/limits", """{"rate":10}""");
        (await _cache.GetAsync("limits"))!.Value.GetProperty("rate").GetInt32().ShouldBe(10);
        _consul.Put(Prefix + "config/limits", """{"rate":20}""");

        _folder.Time.Advance(PositiveTtl - TimeSpan.FromMilliseconds(1));
        (await _cache.GetAsync("limits"))!.Value.GetProperty("rate").GetInt32().ShouldBe(10);
        _cache.Fetches.ShouldBe(1);

        // Expired: the old value once more, at once, while the refresh runs.
        _folder.Time.Advance(TimeSpan.FromMilliseconds(1));
        (await _cache.GetAsync("limits"))!.Value.GetProperty("rate").GetInt32().ShouldBe(10);
        await Poll.UntilAsync(() => _cache.GetAsync("limits").AsTask(), v => v!.Value.GetProperty("rate").GetInt32() == 20, Limit, "the refresh");
        _cache.Fetches.ShouldBe(2);
    }

    [Fact]
    public async Task GetAsync_MissingKey_RemembersTheAbsenceForTheNegativeTtl()
    {
        (await _cache.GetAsync("flag")).ShouldBeNull();
        _consul.Put(Prefix + "config/flag", "true");

        _folder.Time.Advance(NegativeTtl - TimeSpan.FromMilliseconds(1));
        (await _cache.GetAsync("flag")).ShouldBeNull();
        _cache.Fetches.ShouldBe(1);

        _folder.Time.Advance(TimeSpan.FromMilliseconds(1));
        var value = await Poll.UntilAsync(() => _cache.GetAsync("flag").AsTask(), v => v is not null, Limit, "the key to be asked for again");
        value!.Value.GetBoolean().ShouldBeTrue();
        _cache.Fetches.ShouldBe(2);
    }

    [Fact]
    public async Task GetAsync_ConsulFailsAfterTheTtl_ServesTheStaleValueAndAsksAgainAfterTheNegativeTtl()
    {
        _consul.Put(Prefix + "config/mode", "\"blue\"");
        (await _cache.GetAsync("mode"))!.Value.GetString().ShouldBe("blue");
        _consul.FailNext(int.MaxValue);

        _folder.Time.Advance(PositiveTtl);
        (await _cache.GetAsync("mode"))!.Value.GetString().ShouldBe("blue");
        await Poll.UntilAsync(() => Task.FromResult(_cache.Fetches), n => n == 2, Limit, "the failed refresh");
        (await _cache.GetAsync("mode"))!.Value.GetString().ShouldBe("blue");

        // The failed refresh is retried only after the negative TTL, then the new value serves.
        _consul.FailNext(0);
        _consul.Put(Prefix + "config/mode", "\"green\"");
        (await _cache.GetAsync("mode"))!.Value.GetString().ShouldBe("blue");
        _cache.Fetches.ShouldBe(2);
        _folder.Time.Advance(NegativeTtl);
        await Poll.UntilAsync(() => _cache.GetAsync("mode").AsTask(), v => v!.Value.GetString() == "green", Limit, "the value once Consul answers");
    }

    [Fact]
    public async Task GetAsync_ConsulHangsAfterTheTtl_AnswersTheStaleValueWithoutWaiting()
    {
        _consul.Put(Prefix + "config/mode", "\"blue\"");
        (await _cache.GetAsync("mode"))!.Value.GetString().ShouldBe("blue");
        _consul.HangNext(int.MaxValue);
        _folder.Time.Advance(PositiveTtl);

        var pending = _cache.GetAsync("mode");

        pending.IsCompleted.ShouldBeTrue();
        (await pending)!.Value.GetString().ShouldBe("blue");
        _consul.HangNext(0);
    }

    [Fact]
    public async Task GetAsync_ConsulUnreachableAndNothingInMemory_ServesTheStoredLastKnownGood()
    {
        _store.Put(StoreKinds.Config, "mode", "\"blue\"", StoreOrigins.Consul);
        _consul.Put(Prefix + "config/mode", "\"green\"");
        _consul.FailNext(int.MaxValue);

        (await _cache.GetAsync("mode"))!.Value.GetString().ShouldBe("blue");
    }

    [Fact]
    public async Task GetAsync_ManyCallersWhileAFetchRuns_OneFetchAnswersThemAll()
    {
        _consul.Put(Prefix + "config/mode", "\"blue\"");
        var requestsBefore = _consul.Requests;

        // The first fetch hangs until the client gives up: every other caller joins it meanwhile.
        _consul.HangNext(1);
        var callers = Enumerable.Range(0, 20).Select(_ => _cache.GetAsync("mode").AsTask()).ToList();
        var values = await Task.WhenAll(callers);

        values.ShouldAllBe(v => v == null);
        _cache.Fetches.ShouldBe(1);
        (_consul.Requests - requestsBefore).ShouldBe(1);
    }

    [Fact]
    public async Task Indexer_UnknownKey_AnswersNullAtOnceAndFetchesInTheBackground()
    {
        _consul.Put(Prefix + "config/mode", "\"blue\"");

        _cache["mode"].ShouldBeNull();

        var value = await Poll.UntilAsync(() => Task.FromResult(_cache["mode"]), v => v is not null, Limit, "the background fetch");
        value!.Value.GetString().ShouldBe("blue");
        _cache.Fetches.ShouldBe(1);
    }

    [Theory]
    [InlineData("../upstreams/web")]
    [InlineData("a//b")]
    [InlineData("a/./b")]
    [InlineData("")]
    [InlineData("a b")]
    public async Task GetAsync_KeyOutsideConfig_IsNullWithoutAskingConsul(string key)
    {
        _consul.Put(Prefix + "upstreams/web", "{}");
        var requests = _consul.Requests;

        (await _cache.GetAsync(key)).ShouldBeNull();
        _cache[key].ShouldBeNull();

        _consul.Requests.ShouldBe(requests);
    }

    [Fact]
    public async Task Seen_FromTheWatch_IsFreshWithoutAFetchAndInvalidJsonKeepsTheLastGood()
    {
        _cache.Seen("mode", "\"blue\"").ShouldBeNull();
        _cache.Seen("mode", "{not json").ShouldNotBeNull().ShouldContain("not JSON");

        (await _cache.GetAsync("mode"))!.Value.GetString().ShouldBe("blue");
        _cache.Forget("mode");
        (await _cache.GetAsync("mode")).ShouldBeNull();
        _cache.Fetches.ShouldBe(0);
    }
}
