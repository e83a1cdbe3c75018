using Microsoft.Extensions.Logging.Abstractions;
using Slardar.Scriptable.Host.Consul;

namespace Slardar.Scriptable.Tests.Consul;

/// <summary>Builds <see cref="ConsulClient"/>s for tests, with short timeouts.</summary>
internal static class ConsulTestClients
{
    public static ConsulClient Create(IReadOnlyList<Uri> addresses, string? token = null, TimeSpan? requestTimeout = null) =>
        new(
            new ConsulOptions { Addresses = addresses, Token = token, RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(5) },
            TimeProvider.System,
            NullLogger<ConsulClient>.Instance);

    public static ConsulClient Create(Uri address, string? token = null, TimeSpan? requestTimeout = null) =>
        Create([address], token, requestTimeout);
}
