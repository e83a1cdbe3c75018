using System.Net;

namespace Slardar.Scriptable.Host.Consul;

/// <summary>What one agent answered (any status below 500): the raw material the client reads.</summary>
internal sealed record ConsulAnswer(Uri Address, HttpStatusCode Status, byte[] Body, ulong Index);
