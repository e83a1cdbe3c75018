using System.Diagnostics.CodeAnalysis;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>Either a valid <see cref="UpstreamConfig"/> or the message explaining why there is none.</summary>
internal sealed class UpstreamParseResult
{
    private UpstreamParseResult(UpstreamConfig? config, string? error)
    {
        Config = config;
        Error = error;
    }

    public UpstreamConfig? Config { get; }

    public string? Error { get; }

    [MemberNotNullWhen(true, nameof(Config))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool Success => Config is not null;

    public static UpstreamParseResult Ok(UpstreamConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        return new(config, null);
    }

    public static UpstreamParseResult Fail(string error)
    {
        ArgumentException.ThrowIfNullOrEmpty(error);
        return new(null, error);
    }
}
