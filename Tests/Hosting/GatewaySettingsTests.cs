using Microsoft.Extensions.Configuration;
using Slardar.Scriptable.Host.Hosting;
using Slardar.Scriptable.Host.Proxy;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Hosting;

public sealed class GatewaySettingsTests
{
    private static IConfiguration Config(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void FromConfiguration_Empty_UsesDocumentedDefaults()
    {
        var settings = GatewaySettings.FromConfiguration(Config());

        Assert.Equal(["http://0.0.0.0:8080"], settings.ProxyUrls);
        Assert.Equal(["http://127.0.0.1:1995"], settings.AdminUrls);
        Assert.Equal(Path.GetFullPath("scripts.json"), settings.ManifestPath);
        Assert.Equal(2, settings.Proxy.Tries);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.Proxy.NextUpstreamTimeout);
        Assert.Equal(TimeSpan.FromSeconds(3), settings.Proxy.ConnectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Proxy.SendTimeout);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.Proxy.ReadTimeout);
        Assert.Equal(ForwarderKind.Fast, settings.Proxy.Forwarder);
        Assert.True(settings.AccessLogEnabled);
        Assert.Equal(100, settings.ScriptLog.LinesPerSecond);
        Assert.Equal(200, settings.ScriptLog.Burst);
    }

    [Fact]
    public void FromConfiguration_SeveralListenUrls_AreSplitOnSemicolons()
    {
        var settings = GatewaySettings.FromConfiguration(Config(("Gateway:Listen", "http://127.0.0.1:8080; http://[::1]:8080")));

        Assert.Equal(["http://127.0.0.1:8080", "http://[::1]:8080"], settings.ProxyUrls);
    }

    [Theory]
    [InlineData("Gateway:Listen", "ftp://0.0.0.0:21", "Gateway:Listen: \"ftp://0.0.0.0:21\" is not an http://host:port or https://host:port URL")]
    [InlineData("Admin:Listen", "localhost:1995", "Admin:Listen: \"localhost:1995\" is not an http://host:port or https://host:port URL")]
    [InlineData("Proxy:Tries", "0", "Proxy:Tries must be an integer ≥ 1, got \"0\"")]
    [InlineData("Proxy:ReadTimeout", "soon", "Proxy:ReadTimeout must be a number of seconds > 0, got \"soon\"")]
    [InlineData("Proxy:Forwarder", "nginx", "Proxy:Forwarder: 'nginx' is not a forwarder (fast, yarp)")]
    [InlineData("Proxy:NextUpstream", "error sometimes", "Proxy:NextUpstream: unknown condition \"sometimes\"")]
    [InlineData("Proxy:Body:ReplayLimitBytes", "-1", "Proxy:Body:ReplayLimitBytes must be an integer ≥ 0, got \"-1\"")]
    [InlineData("Checkups:ActiveChecks", "0", "Checkups:ActiveChecks must be true or false, got \"0\"")]
    [InlineData("Checkups:ActiveChecks", "yes", "Checkups:ActiveChecks must be true or false, got \"yes\"")]
    [InlineData("AccessLog:Enabled", "off", "AccessLog:Enabled must be true or false, got \"off\"")]
    [InlineData("Demo:Enabled", "1", "Demo:Enabled must be true or false, got \"1\"")]
    [InlineData("Scripts:Log:LinesPerSecond", "-1", "Scripts:Log:LinesPerSecond must be an integer ≥ 0 and ≤ 1000000, got \"-1\"")]
    public void FromConfiguration_BadValue_ThrowsNamingTheKey(string key, string value, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => GatewaySettings.FromConfiguration(Config((key, value))));

        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("yarp", "Yarp")]
    [InlineData("YARP", "Yarp")]
    [InlineData("Fast", "Fast")]
    public void FromConfiguration_Forwarder_FastOrYarpInAnyCase(string value, string expected)
    {
        Assert.Equal(expected, GatewaySettings.FromConfiguration(Config(("Proxy:Forwarder", value))).Proxy.Forwarder.ToString());
    }

    [Theory]
    [InlineData("false", false)]
    [InlineData("False", false)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    public void FromConfiguration_Boolean_TrueOrFalseInAnyCase(string value, bool expected)
    {
        Assert.Equal(expected, GatewaySettings.FromConfiguration(Config(("Checkups:ActiveChecks", value))).ActiveChecks);
    }

    [Fact]
    public async Task StartAsync_InvalidUpstreamInConfiguration_RefusesToStartWithReason()
    {
        var settings = new Dictionary<string, string?>
        {
            ["Upstreams:bad:servers:0:host"] = "127.0.0.1",
            ["Upstreams:bad:servers:0:port"] = "99999",
        };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestGateway.StartAsync(settings));

        Assert.Contains("upstream \"bad\"", error.Message);
        Assert.Contains("port", error.Message);
    }

    [Fact]
    public async Task StartAsync_InvalidManifest_RefusesToStartWithReason()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestGateway.StartAsync(manifest: """{ "hosts": { "a.test": { "upstrem": "x" } } }"""));

        Assert.Contains("unknown field \"upstrem\"", error.Message);
    }
}
