using Microsoft.Extensions.Configuration;
using Shouldly;
using Slardar.Scriptable.Host.Consul;

namespace Slardar.Scriptable.Tests.Consul;

public sealed class ConsulSettingsTests
{
    // Later pairs override earlier ones, as later configuration sources do.
    private static ConsulSettings? Read(params (string Key, string Value)[] values) =>
        ConsulSettings.FromConfiguration(new ConfigurationBuilder()
            .AddInMemoryCollection(values.GroupBy(v => v.Key).Select(g => new KeyValuePair<string, string?>(g.Key, g.Last().Value)))
            .Build());

    [Fact]
    public void FromConfiguration_NoAddress_IsNullSoNothingChanges() =>
        Read(("Consul:Prefix", "x/")).ShouldBeNull();

    [Fact]
    public void FromConfiguration_EveryKey_IsRead()
    {
        var settings = Read(
            ("Consul:Address", "http://10.0.0.1:8500;http://10.0.0.2:8500"),
            ("Consul:Prefix", "/edge/slardar"),
            ("Consul:Token", "secret"),
            ("Consul:ConfigPositiveTtlSeconds", "30"),
            ("Consul:ConfigNegativeTtlSeconds", "3"),
            ("Consul:WriteWaitSeconds", "2"))!;

        settings.Client.Addresses.Select(a => a.ToString()).ShouldBe(["http://10.0.0.1:8500/", "http://10.0.0.2:8500/"]);
        settings.Prefix.ShouldBe("edge/slardar/");
        settings.Client.Token.ShouldBe("secret");
        (settings.ConfigPositiveTtl, settings.ConfigNegativeTtl, settings.WriteApplyTimeout)
            .ShouldBe((TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(2)));
    }

    [Fact]
    public void FromConfiguration_Defaults_AreSlardarsPrefixAndTheDocumentedTtls()
    {
        var settings = Read(("Consul:Address", "http://127.0.0.1:8500"))!;

        settings.Prefix.ShouldBe("config/slardar/");
        (settings.ConfigPositiveTtl, settings.ConfigNegativeTtl).ShouldBe((TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(5)));
    }

    [Theory]
    [InlineData("Consul:Address", "127.0.0.1:8500", "Consul:Address")]
    [InlineData("Consul:ConfigPositiveTtlSeconds", "-1", "Consul:ConfigPositiveTtlSeconds")]
    public void FromConfiguration_BadValue_StopsTheStartNamingTheKey(string key, string value, string named) =>
        Should.Throw<InvalidOperationException>(() => Read(("Consul:Address", "http://127.0.0.1:8500"), (key, value)))
            .Message.ShouldContain(named);
}
