namespace Slardar.Scriptable.Host.Consul;

/// <summary>The end of one admin write through Consul, with the key's new ModifyIndex when it was written.</summary>
internal sealed record ConsulWriteOutcome(ConsulWriteStatus Status, string? Message = null, ulong? Index = null);
