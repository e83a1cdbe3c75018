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

    [Fact]
    public void Put_WithAuditAction_RecordsItsAuditLineWithTheVersion()
    {
        var stored = _store.Put(StoreKinds.Upstream, "api", "{}", StoreOrigins.Api, "api:alice", "upstream.create");

        _store.RecentAudit(10).ShouldHaveSingleItem()
            .ShouldBe(new AuditEntry(_store.RecentAudit(1)[0].Id, stored.CreatedAt, "api:alice", "upstream.create", "api", $"origin=api version={stored.Version}"));
    }

    [Fact]
    public void Put_UnchangedContentWithAuditAction_RecordsNoAuditLine()
    {
        _store.Put(StoreKinds.Upstream, "api", "{}", StoreOrigins.Api, "api:alice", "upstream.create");

        _store.Put(StoreKinds.Upstream, "api", "{}", StoreOrigins.Api, "api:alice", "upstream.update").Unchanged.ShouldBeTrue();

        _store.RecentAudit(10).Select(e => e.Action).ShouldBe(["upstream.create"]);
    }

    [Fact]
    public void DeleteAndRollback_WithAuditAction_RecordTheirLinesAndNothingForANoOp()
    {
        _store.Put(StoreKinds.Script, "a.example.com/rewrite", "one", StoreOrigins.Api, "api:alice");
        _store.Put(StoreKinds.Script, "a.example.com/rewrite", "two", StoreOrigins.Api, "api:alice");

        var restored = _store.Rollback(StoreKinds.Script, "a.example.com/rewrite", 1, "api:bob", "script.rollback");
        var deleted = _store.Delete(StoreKinds.Script, "a.example.com/rewrite", StoreOrigins.Api, "api:bob", "script.delete").ShouldNotBeNull();
        _store.Delete(StoreKinds.Script, "a.example.com/rewrite", StoreOrigins.Api, "api:bob", "script.delete").ShouldBeNull();

        _store.RecentAudit(10).Select(e => (e.Action, e.Actor, e.Detail)).ShouldBe(
        [
            ("script.delete", "api:bob", $"origin=api version={deleted.Version}"),
            ("script.rollback", "api:bob", $"to version 1 (recorded as version {restored.Version})"),
        ]);
    }

    [Fact]
    public void Rollback_ToADeletionWithAuditAction_ThrowsAndRecordsNoAuditLine()
    {
        _store.Put(StoreKinds.Script, "a.example.com/rewrite", "one", StoreOrigins.Api, "api:alice");
        _store.Delete(StoreKinds.Script, "a.example.com/rewrite", StoreOrigins.Api, "api:alice");

        Should.Throw<StoreRollbackException>(() => _store.Rollback(StoreKinds.Script, "a.example.com/rewrite", 2, "api:bob", "script.rollback"));

        _store.RecentAudit(10).ShouldBeEmpty();
    }
}
