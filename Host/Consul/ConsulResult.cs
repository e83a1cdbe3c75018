namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// An answer to a query that supports blocking: the value and the <c>X-Consul-Index</c> that came
/// with it, to pass back as <c>?index=</c> to wait for the next change.
/// </summary>
internal sealed record ConsulResult<T>(T Value, ulong Index);
