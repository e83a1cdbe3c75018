using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>One level of an upstream (a <c>cluster</c> entry); later levels back up earlier ones.</summary>
/// <param name="Servers">The level's peers.</param>
/// <param name="Name">The level's key when <c>cluster</c> is an object (<c>{"dc1": {...}}</c>); null for array levels.</param>
internal sealed record UpstreamLevelConfig(ImmutableArray<PeerConfig> Servers, string? Name = null);
