using Shouldly;
using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Tests.Store;

public sealed class GatewayStoreDocumentTests : IDisposable
{
    private const string Kind = StoreKinds.Upstream;

    private readonly StoreFolder _folder = new();
    private readonly GatewayStore _store;

    public GatewayStoreDocumentTests()
    {
        _store = _folder.Open();
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Put_New_ReturnsVersionOneAndGetReadsIt()
    {
        var put = _store.Put(Kind, "api", "{\"servers\":[]}", StoreOrigins.Api, "alice");

        put.ShouldBe(new StoredVersion(
            Kind, "api", 1, "{\"servers\":[]}", StoreOrigins.Api, StoreActions.Put, _folder.Time.GetUtcNow(), "alice",
            ContentHash.Sha256Hex("{\"servers\":[]}")));
        _store.Get(Kind, "api").ShouldBe(new StoredDocument(Kind, "api", "{\"servers\":[]}", 1, StoreOrigins.Api, _folder.Time.GetUtcNow()));
    }

    [Fact]
    public void Put_Content_HashIsSha256HexOfUtf8()
    {
        _store.Put(Kind, "api", "abc", StoreOrigins.Api).Sha256
            .ShouldBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    [Fact]
    public void Put_NonAsciiAndEmptyContent_RoundTrip()
    {
        _store.Put(StoreKinds.Script, "a.example.com/rewrite", "Log(\"héllo ✓\0\");", StoreOrigins.File);
        _store.Put(StoreKinds.Config, "empty", string.Empty, StoreOrigins.Config);

        _store.Get(StoreKinds.Script, "a.example.com/rewrite")!.Content.ShouldBe("Log(\"héllo ✓\0\");");
        _store.Get(StoreKinds.Config, "empty")!.Content.ShouldBe(string.Empty);
    }

    [Fact]
    public void Get_Missing_ReturnsNull()
    {
        _store.Get(Kind, "nope").ShouldBeNull();
    }

    [Fact]
    public void Put_Again_AppendsVersionAndUpdatesCurrent()
    {
        _store.Put(Kind, "api", "one", StoreOrigins.Config);
        _folder.Time.Advance(TimeSpan.FromMinutes(1));

        var second = _store.Put(Kind, "api", "two", StoreOrigins.Api, "bob");

        second.Version.ShouldBe(2);
        second.Unchanged.ShouldBeFalse();
        var current = _store.Get(Kind, "api")!;
        current.Content.ShouldBe("two");
        current.Version.ShouldBe(2);
        current.Origin.ShouldBe(StoreOrigins.Api);
        current.UpdatedAt.ShouldBe(_folder.Time.GetUtcNow());
    }

    [Fact]
    public void Versions_SeveralPuts_NewestFirstWithTheirOwnOriginsAndTimes()
    {
        var start = _folder.Time.GetUtcNow();
        _store.Put(Kind, "api", "one", StoreOrigins.Config);
        _folder.Time.Advance(TimeSpan.FromSeconds(1));
        _store.Put(Kind, "api", "two", StoreOrigins.Api, "bob");
        _folder.Time.Advance(TimeSpan.FromSeconds(1));
        _store.Put(Kind, "api", "three", StoreOrigins.Consul);

        var versions = _store.Versions(Kind, "api");

        versions.Select(v => v.Version).ShouldBe([3, 2, 1]);
        versions.Select(v => v.Content).ShouldBe(["three", "two", "one"]);
        versions.Select(v => v.Origin).ShouldBe([StoreOrigins.Consul, StoreOrigins.Api, StoreOrigins.Config]);
        versions.Select(v => v.Actor).ShouldBe([null, "bob", null]);
        versions.Select(v => v.CreatedAt).ShouldBe([start.AddSeconds(2), start.AddSeconds(1), start]);
    }

    [Fact]
    public void Versions_NeverExisted_Empty()
    {
        _store.Versions(Kind, "nope").ShouldBeEmpty();
    }

    [Fact]
    public void GetVersion_OldVersion_ReturnsItsContent()
    {
        _store.Put(Kind, "api", "one", StoreOrigins.Config);
        _store.Put(Kind, "api", "two", StoreOrigins.Config);

        _store.GetVersion(Kind, "api", 1)!.Content.ShouldBe("one");
        _store.GetVersion(Kind, "api", 3).ShouldBeNull();
        _store.GetVersion(Kind, "other", 1).ShouldBeNull();
    }

    [Fact]
    public void List_SeveralNames_OrderedByNameAndScopedToKind()
    {
        _store.Put(Kind, "b.example.com", "b", StoreOrigins.Api);
        _store.Put(Kind, "A.example.com", "a", StoreOrigins.Api);
        _store.Put(Kind, "c.example.com", "c1", StoreOrigins.Api);
        _store.Put(Kind, "c.example.com", "c2", StoreOrigins.Api);
        _store.Put(StoreKinds.Script, "a.example.com/rewrite", "return Next;", StoreOrigins.Api);

        var listed = _store.List(Kind);

        listed.Select(d => d.Name).ShouldBe(["A.example.com", "b.example.com", "c.example.com"]);
        listed.Select(d => d.Content).ShouldBe(["a", "b", "c2"]);
        listed[2].Version.ShouldBe(2);
        _store.List(StoreKinds.Script).ShouldHaveSingleItem().Name.ShouldBe("a.example.com/rewrite");
        _store.List(StoreKinds.Config).ShouldBeEmpty();
    }

    [Fact]
    public void Put_SameNameInOtherKind_IsAnotherDocument()
    {
        _store.Put(StoreKinds.Upstream, "x", "upstream", StoreOrigins.Api);
        _store.Put(StoreKinds.Config, "x", "config", StoreOrigins.Api).Version.ShouldBe(1);

        _store.Get(StoreKinds.Upstream, "x")!.Content.ShouldBe("upstream");
    }

    [Fact]
    public void Put_NameInOtherCase_SameDocumentAndNewestSpellingWins()
    {
        _store.Put(Kind, "Node-Dev.example.com", "one", StoreOrigins.Api);

        _store.Put(Kind, "node-dev.EXAMPLE.com", "two", StoreOrigins.Api).Version.ShouldBe(2);

        var current = _store.Get(Kind, "NODE-DEV.example.com")!;
        current.Name.ShouldBe("node-dev.EXAMPLE.com");
        current.Content.ShouldBe("two");
        _store.List(Kind).ShouldHaveSingleItem();
        _store.Versions(Kind, "node-dev.example.com").Count.ShouldBe(2);
    }

    [Fact]
    public void Put_SameContent_RecordedOnceAndReturnsCurrentAsUnchanged()
    {
        var first = _store.Put(Kind, "api", "same", StoreOrigins.Config);
        _folder.Time.Advance(TimeSpan.FromHours(1));

        var again = _store.Put(Kind, "api", "same", StoreOrigins.Api, "bob");

        again.ShouldBe(first with { Unchanged = true });
        _store.Versions(Kind, "api").ShouldHaveSingleItem().Unchanged.ShouldBeFalse();
        _store.Get(Kind, "api")!.UpdatedAt.ShouldBe(first.CreatedAt);
    }

    [Fact]
    public void Put_ContentBackToAnEarlierOne_IsANewVersion()
    {
        _store.Put(Kind, "api", "a", StoreOrigins.Api);
        _store.Put(Kind, "api", "b", StoreOrigins.Api);

        var back = _store.Put(Kind, "api", "a", StoreOrigins.Api);

        back.Version.ShouldBe(3);
        back.Unchanged.ShouldBeFalse();
    }

    [Fact]
    public void Delete_Existing_RecordsDeletionAndRemovesDocument()
    {
        _store.Put(Kind, "api", "one", StoreOrigins.Api);
        _folder.Time.Advance(TimeSpan.FromSeconds(5));

        var deletion = _store.Delete(Kind, "api", StoreOrigins.Api, "carol");

        deletion.ShouldBe(new StoredVersion(Kind, "api", 2, null, StoreOrigins.Api, StoreActions.Delete, _folder.Time.GetUtcNow(), "carol", null));
        deletion!.IsDeletion.ShouldBeTrue();
        _store.Get(Kind, "api").ShouldBeNull();
        _store.List(Kind).ShouldBeEmpty();
        _store.Versions(Kind, "api").Select(v => v.Action).ShouldBe([StoreActions.Delete, StoreActions.Put]);
    }

    [Fact]
    public void Delete_Missing_ReturnsNullAndRecordsNothing()
    {
        _store.Delete(Kind, "nope", StoreOrigins.Api).ShouldBeNull();
        _store.Versions(Kind, "nope").ShouldBeEmpty();
    }

    [Fact]
    public void Delete_Twice_SecondReturnsNull()
    {
        _store.Put(Kind, "api", "one", StoreOrigins.Api);
        _store.Delete(Kind, "api", StoreOrigins.Api);

        _store.Delete(Kind, "api", StoreOrigins.Api).ShouldBeNull();
        _store.Versions(Kind, "api").Count.ShouldBe(2);
    }

    [Fact]
    public void Put_AfterDelete_ContinuesNumberingAndIsNotUnchanged()
    {
        _store.Put(Kind, "api", "one", StoreOrigins.Api);
        _store.Put(Kind, "api", "two", StoreOrigins.Api);
        _store.Delete(Kind, "api", StoreOrigins.Api);

        var again = _store.Put(Kind, "api", "two", StoreOrigins.Api);

        again.Version.ShouldBe(4);
        again.Unchanged.ShouldBeFalse();
        _store.Get(Kind, "api")!.Version.ShouldBe(4);
        _store.Versions(Kind, "api").Select(v => v.Version).ShouldBe([4, 3, 2, 1]);
    }

    [Fact]
    public void Rollback_ToOldVersion_NewVersionWithOldContent()
    {
        _store.Put(Kind, "api", "good", StoreOrigins.Api);
        _store.Put(Kind, "api", "bad", StoreOrigins.Api);
        _folder.Time.Advance(TimeSpan.FromMinutes(3));

        var rolledBack = _store.Rollback(Kind, "api", 1, "dave");

        rolledBack.ShouldBe(new StoredVersion(
            Kind, "api", 3, "good", StoreOrigins.Rollback, StoreActions.Rollback, _folder.Time.GetUtcNow(), "dave", ContentHash.Sha256Hex("good")));
        _store.Get(Kind, "api")!.ShouldBe(new StoredDocument(Kind, "api", "good", 3, StoreOrigins.Rollback, _folder.Time.GetUtcNow()));
        _store.GetVersion(Kind, "api", 2)!.Content.ShouldBe("bad");
    }

    [Fact]
    public void Rollback_AfterDelete_BringsTheDocumentBack()
    {
        _store.Put(Kind, "api", "one", StoreOrigins.Api);
        _store.Delete(Kind, "api", StoreOrigins.Api);

        _store.Rollback(Kind, "api", 1, actor: null).Version.ShouldBe(3);

        _store.Get(Kind, "api")!.Content.ShouldBe("one");
    }

    [Fact]
    public void Rollback_ToCurrentContent_Unchanged()
    {
        _store.Put(Kind, "api", "one", StoreOrigins.Api);
        _store.Put(Kind, "api", "two", StoreOrigins.Api);
        _store.Put(Kind, "api", "one", StoreOrigins.Api);

        var rolledBack = _store.Rollback(Kind, "api", 1, actor: null);

        rolledBack.Unchanged.ShouldBeTrue();
        rolledBack.Version.ShouldBe(3);
        _store.Versions(Kind, "api").Count.ShouldBe(3);
    }

    [Fact]
    public void Rollback_ToDeletion_RefusedAndNothingRecorded()
    {
        _store.Put(Kind, "api", "one", StoreOrigins.Api);
        _store.Delete(Kind, "api", StoreOrigins.Api);
        _store.Put(Kind, "api", "three", StoreOrigins.Api);

        var ex = Should.Throw<StoreRollbackException>(() => _store.Rollback(Kind, "api", 2, actor: null));

        ex.Error.ShouldBe(StoreRollbackError.VersionIsDeletion);
        ex.Message.ShouldContain("deletion");
        _store.Get(Kind, "api")!.Version.ShouldBe(3);
        _store.Versions(Kind, "api").Count.ShouldBe(3);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-1)]
    public void Rollback_ToMissingVersion_Refused(int version)
    {
        _store.Put(Kind, "api", "one", StoreOrigins.Api);

        var ex = Should.Throw<StoreRollbackException>(() => _store.Rollback(Kind, "api", version, actor: null));

        ex.Error.ShouldBe(StoreRollbackError.VersionNotFound);
        ex.Message.ShouldBe($"upstream 'api' has no version {version}.");
    }

    [Fact]
    public void Rollback_UnknownDocument_Refused()
    {
        Should.Throw<StoreRollbackException>(() => _store.Rollback(Kind, "nope", 1, actor: null))
            .Error.ShouldBe(StoreRollbackError.VersionNotFound);
    }

    [Fact]
    public void Put_InvalidArguments_Throw()
    {
        Should.Throw<ArgumentException>(() => _store.Put("", "api", "x", StoreOrigins.Api));
        Should.Throw<ArgumentException>(() => _store.Put(Kind, "", "x", StoreOrigins.Api));
        Should.Throw<ArgumentNullException>(() => _store.Put(Kind, "api", null!, StoreOrigins.Api));
        Should.Throw<ArgumentException>(() => _store.Put(Kind, "api", "x", ""));
        _store.List(Kind).ShouldBeEmpty();
    }

    [Fact]
    public void Put_AfterDispose_ThrowsObjectDisposed()
    {
        _store.Dispose();

        Should.Throw<ObjectDisposedException>(() => _store.Put(Kind, "api", "x", StoreOrigins.Api));
        Should.Throw<ObjectDisposedException>(() => _store.Get(Kind, "api"));
    }
}
