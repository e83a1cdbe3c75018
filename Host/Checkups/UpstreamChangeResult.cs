namespace Slardar.Scriptable.Host.Checkups;

/// <summary>The answer to one upstream change: accepted (with the stored version) or refused with a reason.</summary>
internal sealed record UpstreamChangeResult(bool Accepted, string? Error, int? Version)
{
    public static UpstreamChangeResult Ok(int version) => new(true, null, version);

    public static UpstreamChangeResult Fail(string error) => new(false, error, null);

    public static UpstreamChangeResult Missing(string name) => new(false, $"upstream {name} not found", null);
}
