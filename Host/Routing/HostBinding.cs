namespace Slardar.Scriptable.Host.Routing;

/// <summary>One entry of scripts.json: a host pattern (exact, <c>*.suffix</c> or <c>_</c>) and its options.</summary>
/// <param name="Pattern">Lower-cased host, <c>*.example.com</c>, or <see cref="DefaultPattern"/>.</param>
/// <param name="Upstream">The upstream that serves the host; null means the upstream named after the request's host.</param>
internal sealed record HostBinding(string Pattern, string? Upstream)
{
    public const string DefaultPattern = "_";

    public bool IsDefault => Pattern == DefaultPattern;

    public bool IsWildcard => Pattern.StartsWith("*.", StringComparison.Ordinal);
}
