namespace Slardar.Scriptable.Host.Proxy;

/// <summary>One try as the access log lists it (nginx's $upstream_addr, $upstream_status, $upstream_response_time).</summary>
/// <param name="Status">The peer's status, or the gateway's (502/504) when the peer gave none.</param>
internal readonly record struct TryRecord(string Address, int Status, TimeSpan Elapsed, TryFailure Failure);
