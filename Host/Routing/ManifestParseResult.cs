using System.Diagnostics.CodeAnalysis;

namespace Slardar.Scriptable.Host.Routing;

internal readonly record struct ManifestParseResult(ManifestConfig? Config, string? Error)
{
    [MemberNotNullWhen(true, nameof(Config))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Config is not null;

    public static ManifestParseResult Ok(ManifestConfig config) => new(config, null);

    public static ManifestParseResult Fail(string error) => new(null, error);
}
