using System.Collections.Immutable;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>One level of an upstream (a <c>cluster[]</c> entry); later levels back up earlier ones.</summary>
internal sealed record UpstreamLevelConfig(ImmutableArray<PeerConfig> Servers);
