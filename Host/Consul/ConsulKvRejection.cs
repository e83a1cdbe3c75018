namespace Slardar.Scriptable.Host.Consul;

/// <summary>A KV value this gateway refused (the last good version keeps serving), for <c>/status</c>.</summary>
internal sealed record ConsulKvRejection(string Key, ulong ModifyIndex, string Reason, DateTimeOffset At);
