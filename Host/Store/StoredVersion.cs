namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// One entry of a document's history. A deletion has no content and no hash. <see cref="Unchanged"/>
/// is set only on what a write returns when the content was already current and nothing was recorded.
/// </summary>
internal sealed record StoredVersion(
    string Kind,
    string Name,
    int Version,
    string? Content,
    string Origin,
    string Action,
    DateTimeOffset CreatedAt,
    string? Actor,
    string? Sha256,
    bool Unchanged = false)
{
    public bool IsDeletion => Content is null;
}
