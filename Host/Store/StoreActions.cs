namespace Slardar.Scriptable.Host.Store;

/// <summary>What a version did to its document. The schema's CHECK constraint lists the same words.</summary>
internal static class StoreActions
{
    public const string Put = "put";

    public const string Delete = "delete";

    public const string Rollback = "rollback";
}
