namespace Slardar.Scriptable.Host.Store;

/// <summary>One step of the schema. Applied once, in its own transaction, and recorded in <c>schema_version</c>.</summary>
internal sealed record StoreMigration(int Version, string Description, string Sql);
