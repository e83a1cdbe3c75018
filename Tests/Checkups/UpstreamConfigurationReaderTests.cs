using System.Text;
using Microsoft.Extensions.Configuration;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Xunit;

namespace Slardar.Scriptable.Tests.Checkups;

public sealed class UpstreamConfigurationReaderTests
{
    private static IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>("Upstreams:" + v.Key, v.Value)))
            .Build()
            .GetSection("Upstreams");

    private static IConfigurationSection JsonSection(string json) =>
        new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(Encoding.UTF8.GetBytes(json)))
            .Build()
            .GetSection("Upstreams");

    private static string SingleError(IConfigurationSection section)
    {
        var upstreams = UpstreamConfigurationReader.Read(section, out var errors);
        upstreams.ShouldBeEmpty();
        return errors.ShouldHaveSingleItem();
    }

    [Fact]
    public void Read_ValidSection_ReturnsEveryUpstream()
    {
        var section = Section(
            ("node-dev.example.com:servers:0:host", "127.0.0.1"),
            ("node-dev.example.com:servers:0:port", "8001"),
            ("node-dev.example.com:servers:0:weight", "2"),
            ("node-dev.example.com:servers:0:max_fails", "6"),
            ("node-dev.example.com:servers:0:fail_timeout", "30"),
            ("node-dev.example.com:servers:1:host", "127.0.0.2"),
            ("node-dev.example.com:servers:1:port", "8002"),
            ("backed:cluster:0:servers:0:host", "a"),
            ("backed:cluster:0:servers:0:port", "1"),
            ("backed:cluster:1:servers:0:host", "b"),
            ("backed:cluster:1:servers:0:port", "2"),
            ("backed:try", "3"),
            ("backed:try_timeout", "1.5"),
            ("backed:timeout", "0.5"),
            ("backed:enable", "false"),
            ("backed:next_upstream", "error timeout"));

        var upstreams = UpstreamConfigurationReader.Read(section, out var errors);

        errors.ShouldBeEmpty();
        var dev = upstreams.Single(u => u.Name == "node-dev.example.com");
        dev.Levels.ShouldHaveSingleItem().Servers.ShouldBe(
        [
            new PeerConfig { Host = "127.0.0.1", Port = 8001, Weight = 2, MaxFails = 6, FailTimeout = TimeSpan.FromSeconds(30) },
            new PeerConfig { Host = "127.0.0.2", Port = 8002 },
        ]);
        var backed = upstreams.Single(u => u.Name == "backed");
        backed.Levels.Select(l => l.Servers.Single().Address).ShouldBe(["a:1", "b:2"]);
        backed.Tries.ShouldBe(3);
        backed.TryTimeout.ShouldBe(TimeSpan.FromSeconds(1.5));
        backed.ConnectTimeout.ShouldBe(TimeSpan.FromSeconds(0.5));
        backed.Enable.ShouldBeFalse();
        backed.NextUpstream.ShouldBe(NextUpstreamConditions.Error | NextUpstreamConditions.Timeout);
    }

    [Fact]
    public void Read_KeysInAnyCase_AreFieldNames()
    {
        var section = Section(("up:Servers:0:Host", "a"), ("up:SERVERS:0:Port", "80"), ("up:servers:0:Max_Fails", "0"));

        var upstream = UpstreamConfigurationReader.Read(section, out var errors).ShouldHaveSingleItem();

        errors.ShouldBeEmpty();
        upstream.Levels[0].Servers[0].ShouldBe(new PeerConfig { Host = "a", Port = 80, MaxFails = 0 });
    }

    [Fact]
    public void Read_JsonConfigurationFile_IsRead()
    {
        var section = JsonSection("""{"Upstreams":{"up":{"servers":[{"host":"a","port":80,"weight":3}],"enable":true}}}""");

        var upstream = UpstreamConfigurationReader.Read(section, out var errors).ShouldHaveSingleItem();

        errors.ShouldBeEmpty();
        upstream.Levels[0].Servers[0].Weight.ShouldBe(3);
    }

    [Fact]
    public void Read_InvalidUpstream_IsReportedAndOthersAreKept()
    {
        var section = Section(
            ("bad:servers:0:host", "a"),
            ("bad:servers:0:port", "eighty"),
            ("good:servers:0:host", "b"),
            ("good:servers:0:port", "80"));

        var upstreams = UpstreamConfigurationReader.Read(section, out var errors);

        upstreams.ShouldHaveSingleItem().Name.ShouldBe("good");
        errors.ShouldBe(["upstream \"bad\": servers[0].port: must be an integer in 1..65535"]);
    }

    [Theory]
    [InlineData("servers:0:hots", "a", "unknown field \"servers[0].hots\"")]
    [InlineData("serverz:0:host", "a", "unknown field \"serverz\"")]
    [InlineData("servers:0:port", "0", "servers[0].port: must be an integer in 1..65535")]
    [InlineData("servers:0:port", "", "servers[0].port: must be an integer in 1..65535")]
    [InlineData("servers:0:port", "0x50", "servers[0].port: must be an integer in 1..65535")]
    [InlineData("servers:0:weight", "1.5", "servers[0].weight: must be an integer >= 1")]
    [InlineData("servers:0:fail_timeout", "-1", "servers[0].fail_timeout: must be a number of seconds >= 0 and <= 86400")]
    [InlineData("try", "none", "try: must be an integer >= 1")]
    [InlineData("enable", "yes", "enable: must be a boolean")]
    [InlineData("next_upstream", "error bogus", "next_upstream: unknown condition \"bogus\" (expected error timeout http_500 http_502 http_503 http_504 http_429 http_403 http_404 non_idempotent off)")]
    [InlineData("servers:0:port:x", "1", "servers[0].port: must be an integer in 1..65535")]
    [InlineData("cluster:0:servers:0:host", "b", "body invalid: \"servers\" and \"cluster\" are mutually exclusive")]
    public void Read_InvalidValue_NamesTheField(string key, string value, string expected)
    {
        // A valid single peer, with one key added or overridden.
        var values = new Dictionary<string, string>
        {
            ["servers:0:host"] = "a",
            ["servers:0:port"] = "80",
            [key] = value,
        };

        SingleError(Section([.. values.Select(v => ("up:" + v.Key, v.Value))])).ShouldBe("upstream \"up\": " + expected);
    }

    [Fact]
    public void Read_PeerWithoutPort_IsMissingHostOrPort()
    {
        SingleError(Section(("up:servers:0:host", "a"))).ShouldBe("upstream \"up\": servers[0]: no server.host nor server.port found");
    }

    [Fact]
    public void Read_ArrayIndexGap_IsRejected()
    {
        var section = Section(
            ("up:servers:0:host", "a"),
            ("up:servers:0:port", "1"),
            ("up:servers:2:host", "b"),
            ("up:servers:2:port", "2"));

        SingleError(section).ShouldBe("upstream \"up\": servers: array indices must run 0..n-1 without gaps");
    }

    [Fact]
    public void Read_ScalarServers_IsNotAnArray()
    {
        SingleError(Section(("up:servers", "a:80"))).ShouldBe("upstream \"up\": servers invalid: must be an array");
    }

    [Fact]
    public void Read_EmptyServersArrayInJsonFile_IsEmpty()
    {
        SingleError(JsonSection("""{"Upstreams":{"up":{"servers":[]}}}""")).ShouldBe("upstream \"up\": servers invalid: empty");
    }

    [Fact]
    public void Read_EmptyLevelInJsonFile_IsEmptyLevel()
    {
        SingleError(JsonSection("""{"Upstreams":{"up":{"cluster":[{}]}}}""")).ShouldBe("upstream \"up\": cluster[0]: can not update empty level");
    }

    [Fact]
    public void Read_InvalidName_IsRejected()
    {
        SingleError(Section(("bad name:servers:0:host", "a"), ("bad name:servers:0:port", "1")))
            .ShouldBe("upstream \"bad name\": invalid upstream name");
    }

    [Fact]
    public void Read_NoUpstreams_ReturnsNothing()
    {
        UpstreamConfigurationReader.Read(Section(), out var errors).ShouldBeEmpty();
        errors.ShouldBeEmpty();
    }
}
