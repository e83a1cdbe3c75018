using System.Text;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Tests.Checkups;

/// <summary><c>consul_service</c>: an upstream whose peers come from Consul rather than from its definition.</summary>
public sealed class UpstreamConfigParserConsulServiceTests
{
    private static UpstreamParseResult Parse(string json) =>
        UpstreamConfigParser.Parse("up", Encoding.UTF8.GetBytes(json.Replace('\'', '"')));

    [Fact]
    public void Parse_ConsulServiceWithOptions_HasNoLevelsAndRoundTripsWithoutCluster()
    {
        var result = Parse("{'consul_service':'web-api','try':2,'mode':'hash'}");

        result.Error.ShouldBeNull();
        result.Config!.ConsulService.ShouldBe("web-api");
        result.Config.Levels.ShouldBeEmpty();
        result.Config.Tries.ShouldBe(2);
        var written = UpstreamConfigWriter.ToJson(result.Config with { Levels = [new UpstreamLevelConfig([new PeerConfig { Host = "10.0.0.1", Port = 80 }])] });
        written.ShouldNotContain("cluster");
        written.ShouldContain("\"consul_service\":\"web-api\"");
        Parse(written).Config!.ConsulService.ShouldBe("web-api");
    }

    [Theory]
    [InlineData("{'consul_service':'web','servers':[{'host':'127.0.0.1','port':80}]}", "cannot be combined")]
    [InlineData("{'consul_service':'web','cluster':[{'servers':[{'host':'127.0.0.1','port':80}]}]}", "cannot be combined")]
    [InlineData("{'consul_service':''}", "consul_service: must be a Consul service name")]
    [InlineData("{'consul_service':'a/b'}", "consul_service: must be a Consul service name")]
    [InlineData("{'consul_service':7}", "consul_service: must be a Consul service name")]
    public void Parse_BadConsulService_IsRefusedWithTheReason(string json, string reason) =>
        Parse(json).Error.ShouldNotBeNull().ShouldContain(reason);
}
