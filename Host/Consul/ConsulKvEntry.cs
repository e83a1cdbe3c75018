using System.Text;

namespace Slardar.Scriptable.Host.Consul;

/// <summary>One KV pair as Consul's <c>/v1/kv</c> returns it, with <c>Value</c> already base64-decoded.</summary>
internal sealed record ConsulKvEntry(
    string Key,
    ReadOnlyMemory<byte> Value,
    ulong CreateIndex,
    ulong ModifyIndex,
    ulong LockIndex,
    ulong Flags,
    string? Session)
{
    /// <summary>The value read as UTF-8 (Slardar stores JSON documents).</summary>
    public string ValueAsString => Encoding.UTF8.GetString(Value.Span);
}
