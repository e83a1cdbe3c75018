using Shouldly;
using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Tests.Store;

/// <summary>The compiled-image cache: one image per script name, replaced on write, kept across reopening the file.</summary>
public sealed class GatewayStoreImageTests : IDisposable
{
    private readonly StoreFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void PutImage_ThenReopen_GetImageReturnsTheSameBytes()
    {
        var image = new StoredImage("a.example.com/rewrite", "key-1", [1, 2, 3], [4, 5], "[]");
        _folder.Open().PutImage(image);

        var read = _folder.Open().GetImage("A.example.com/rewrite");

        read.ShouldNotBeNull();
        (read.CacheKey, read.WarningsJson).ShouldBe(("key-1", "[]"));
        read.Image.ShouldBe(new byte[] { 1, 2, 3 });
        read.Pdb.ShouldBe(new byte[] { 4, 5 });
    }

    [Fact]
    public void PutImage_SameName_ReplacesTheEarlierImage()
    {
        var store = _folder.Open();
        store.PutImage(new StoredImage("h/auth", "old", [1], [1], "[]"));
        store.PutImage(new StoredImage("h/auth", "new", [2], [2], "[]"));

        store.GetImage("h/auth")!.CacheKey.ShouldBe("new");
    }

    [Fact]
    public void DeleteImage_RemovesIt_AndLeavesTheDocumentsAlone()
    {
        var store = _folder.Open();
        store.Put(StoreKinds.Script, "h/auth", "return Next;", StoreOrigins.Api);
        store.PutImage(new StoredImage("h/auth", "k", [1], [1], "[]"));

        store.DeleteImage("h/auth");

        (store.GetImage("h/auth"), store.Get(StoreKinds.Script, "h/auth")?.Content).ShouldBe((null, "return Next;"));
    }

    [Fact]
    public void PutImage_LeavesTheWriterFullySynced_ForTheDocumentsThatFollow()
    {
        var store = _folder.Open();
        store.PutImage(new StoredImage("h/auth", "k", [1], [1], "[]"));

        store.Diagnostics().Synchronous.ShouldBe("FULL");
    }
}
