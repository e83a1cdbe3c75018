using Microsoft.Extensions.DependencyInjection;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Proxy;

/// <summary>
/// Base of the gateway-level proxy tests: each test class derives a <c>Fast</c> and a <c>Yarp</c>
/// class from itself, so every test runs against both forwarders (<c>Proxy:Forwarder</c>) and the
/// two paths cannot drift apart.
/// </summary>
public abstract class ForwarderTests
{
    protected ForwarderTests(string forwarder)
    {
        Forwarder = forwarder;
    }

    /// <summary>The <c>Proxy:Forwarder</c> value under test: fast or yarp.</summary>
    protected string Forwarder { get; }

    /// <summary>The command-line setting for a gateway process.</summary>
    protected string ForwarderArgument => $"--Proxy:Forwarder={Forwarder}";

    internal Task<TestGateway> StartGatewayAsync(IDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null)
    {
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["Proxy:Forwarder"] = Forwarder,
        };
        return TestGateway.StartAsync(values, configureServices: configureServices);
    }
}
