namespace Slardar.Scriptable.Host.Store;

/// <summary>The current content of a document: the version that set it, where it came from and when.</summary>
internal sealed record StoredDocument(
    string Kind,
    string Name,
    string Content,
    int Version,
    string Origin,
    DateTimeOffset UpdatedAt);
