namespace Slardar.Scriptable.Tests.AdminUi;

/// <summary>The browser tests share one chromium and run one at a time (2 cores are shared with the rest of the suite).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
