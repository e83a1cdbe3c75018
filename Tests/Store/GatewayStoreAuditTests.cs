using Shouldly;
using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Tests.Store;

public sealed class GatewayStoreAuditTests : IDisposable
{
    private readonly StoreFolder _folder = new();
    private readonly GatewayStore _store;

    public GatewayStoreAuditTests()
    {
        _store = _folder.Open();
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Audit_Entry_ReturnedAndReadBack()
    {
        var entry = _store.Audit("upstream.put", "upstream/api", "version 3", "alice");

        entry.ShouldBe(new AuditEntry(entry.Id, _folder.Time.GetUtcNow(), "alice", "upstream.put", "upstream/api", "version 3"));
        _store.RecentAudit(10).ShouldHaveSingleItem().ShouldBe(entry);
    }

    [Fact]
    public void Audit_NullDetail_RoundTrips()
    {
        _store.Audit("login", "admin", null, "alice");

        _store.RecentAudit(1).ShouldHaveSingleItem().Detail.ShouldBeNull();
    }

    [Fact]
    public void RecentAudit_SeveralEntries_NewestFirstEvenWithinOneTick()
    {
        _store.Audit("a", "t", null, "x");
        _store.Audit("b", "t", null, "x");
        _folder.Time.Advance(TimeSpan.FromSeconds(1));
        _store.Audit("c", "t", null, "x");

        _store.RecentAudit(10).Select(e => e.Action).ShouldBe(["c", "b", "a"]);
    }

    [Fact]
    public void RecentAudit_Limit_ReturnsOnlyTheNewest()
    {
        for (var i = 0; i < 5; i++)
        {
            _store.Audit($"action{i}", "t", null, "x");
        }

        _store.RecentAudit(2).Select(e => e.Action).ShouldBe(["action4", "action3"]);
        _store.RecentAudit(0).ShouldBeEmpty();
        Should.Throw<ArgumentOutOfRangeException>(() => _store.RecentAudit(-1));
    }

    [Fact]
    public void RecentAudit_Empty_Empty()
    {
        _store.RecentAudit(10).ShouldBeEmpty();
    }
}
