namespace Slardar.Scriptable.Tests.Support;

/// <summary>A KV pair as the <see cref="ConsulDouble"/> stores it.</summary>
internal sealed record ConsulDoubleEntry(byte[] Value, ulong CreateIndex, ulong ModifyIndex, ulong Flags);
