namespace Slardar.Scriptable.Host.Store;

/// <summary>A compiled script image kept for a script name, valid while its cache key matches.</summary>
/// <param name="WarningsJson">The compiler's warnings for it, as JSON.</param>
internal sealed record StoredImage(string Name, string CacheKey, byte[] Image, byte[] Pdb, string WarningsJson)
{
    /// <summary>The modules compiled into the image, by name, separated by commas (empty when none).</summary>
    public string Modules { get; init; } = string.Empty;
}
