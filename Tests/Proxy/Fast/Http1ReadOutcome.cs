using Slardar.Scriptable.Host.Proxy.Fast;

namespace Slardar.Scriptable.Tests.Proxy.Fast;

/// <summary>One response read by <see cref="Http1ResponseReading"/>: what reached the client, and whether the connection stayed.</summary>
internal sealed record Http1ReadOutcome(int Status, byte[] Body, bool Reusable, Http1BodyFraming Framing, string? Error);
