using System.Text;
using System.Text.Json;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;
using Xunit;

namespace Slardar.Scriptable.Tests.Checkups;

public sealed class UpstreamConfigParserTests
{
    // Test JSON is written with single quotes for readability.
    private static UpstreamParseResult Parse(string json, string name = "up") =>
        UpstreamConfigParser.Parse(name, Encoding.UTF8.GetBytes(json.Replace('\'', '"')));

    private static UpstreamConfig ParseOk(string json)
    {
        var result = Parse(json);
        result.Error.ShouldBeNull();
        result.Success.ShouldBeTrue();
        return result.Config;
    }

    [Fact]
    public void Parse_ServersShorthand_GivesOneLevelWithDefaults()
    {
        var config = ParseOk("{'servers':[{'host':'127.0.0.1','port':8001},{'host':'10.0.0.2','port':8002}]}");

        config.Name.ShouldBe("up");
        config.Levels.Length.ShouldBe(1);
        var peers = config.Levels[0].Servers;
        peers.Select(p => p.Address).ShouldBe(["127.0.0.1:8001", "10.0.0.2:8002"]);
        peers[0].Weight.ShouldBe(1);
        peers[0].MaxFails.ShouldBe(1);
        peers[0].FailTimeout.ShouldBe(TimeSpan.FromSeconds(10));
        config.Tries.ShouldBeNull();
        config.TryTimeout.ShouldBeNull();
        config.NextUpstream.ShouldBeNull();
        config.ConnectTimeout.ShouldBeNull();
        config.Enable.ShouldBeTrue();
    }

    [Fact]
    public void Parse_EveryField_IsRead()
    {
        var config = ParseOk("""
            {'servers':[{'host':'a.example','port':80,'weight':5,'max_fails':6,'fail_timeout':30.5}],
             'try':3,'try_timeout':2.5,'next_upstream':'error timeout http_502','enable':false,'timeout':0.25}
            """);

        var peer = config.Levels[0].Servers.ShouldHaveSingleItem();
        peer.ShouldBe(new PeerConfig { Host = "a.example", Port = 80, Weight = 5, MaxFails = 6, FailTimeout = TimeSpan.FromSeconds(30.5) });
        config.Tries.ShouldBe(3);
        config.TryTimeout.ShouldBe(TimeSpan.FromSeconds(2.5));
        config.NextUpstream.ShouldBe(NextUpstreamConditions.Error | NextUpstreamConditions.Timeout | NextUpstreamConditions.Http502);
        config.Enable.ShouldBeFalse();
        config.ConnectTimeout.ShouldBe(TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void Parse_Cluster_GivesLevelsInOrder()
    {
        var config = ParseOk("""
            {'cluster':[{'servers':[{'host':'a','port':1},{'host':'b','port':2}]},{'servers':[{'host':'c','port':3}]}],'try':2}
            """);

        config.Levels.Select(l => string.Join(',', l.Servers.Select(p => p.Address))).ShouldBe(["a:1,b:2", "c:3"]);
        config.Tries.ShouldBe(2);
    }

    [Fact]
    public void Parse_ZeroMaxFailsAndFailTimeout_AreAccepted()
    {
        var peer = ParseOk("{'servers':[{'host':'a','port':1,'max_fails':0,'fail_timeout':0}]}").Levels[0].Servers[0];

        peer.MaxFails.ShouldBe(0);
        peer.FailTimeout.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void Parse_IntegralNumberWrittenWithFraction_IsAnInteger()
    {
        ParseOk("{'servers':[{'host':'a','port':80.0,'weight':2e0}]}").Levels[0].Servers[0].Port.ShouldBe(80);
    }

    [Fact]
    public void Parse_JsonElement_GivesSameResult()
    {
        using var document = JsonDocument.Parse("""{"servers":[{"host":"a","port":1}]}""");

        var result = UpstreamConfigParser.Parse("up", document.RootElement);

        result.Config.ShouldNotBeNull().Levels[0].Servers[0].Address.ShouldBe("a:1");
    }

    [Fact]
    public void Parse_WhitespaceAroundValue_IsAccepted()
    {
        ParseOk("  \n{'servers':[{'host':'a','port':1}]}\r\n ").Levels.Length.ShouldBe(1);
    }

    [Fact]
    public void Address_Ipv6Host_IsBracketed()
    {
        ParseOk("{'servers':[{'host':'::1','port':8080}]}").Levels[0].Servers[0].Address.ShouldBe("[::1]:8080");
    }

    [Theory]
    [InlineData("node-dev.example.com")]
    [InlineData("A_b-9.c")]
    public void Parse_ValidName_IsAccepted(string name)
    {
        Parse("{'servers':[{'host':'a','port':1}]}", name).Config.ShouldNotBeNull().Name.ShouldBe(name);
    }

    [Theory]
    [InlineData("")]
    [InlineData("a b")]
    [InlineData("a/b")]
    [InlineData("*.example.com")]
    [InlineData("ünicode")]
    public void Parse_InvalidName_IsRejected(string name)
    {
        Parse("{'servers':[{'host':'a','port':1}]}", name).Error.ShouldBe("invalid upstream name");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{'servers':")]
    [InlineData("{'servers':[]} x")]
    [InlineData("{'servers':[],}")]
    [InlineData("{servers:[]}")]
    public void Parse_MalformedJson_IsADecodeError(string json)
    {
        Parse(json).Error.ShouldNotBeNull().ShouldStartWith("decode body error: ");
    }

    [Fact]
    public void Parse_InvalidUtf8InHost_IsADecodeErrorNamingTheField()
    {
        byte[] body = [.. "{\"servers\":[{\"host\":\"a\",\"port\":1},{\"host\":\""u8, 0xFF, 0xFE, .. "\",\"port\":1}]}"u8];

        UpstreamConfigParser.Parse("up", body).Error.ShouldBe("decode body error: invalid UTF-8 in \"servers[1].host\"");
    }

    [Theory]
    [InlineData("10.0.5.108")]
    [InlineData("localhost")]
    [InlineData("node-1.example.com")]
    [InlineData("node-1.example.com.")]
    [InlineData("redis_primary.service.consul")]
    [InlineData("::1")]
    [InlineData("[::1]")]
    [InlineData("fe80::1:2")]
    public void Parse_ValidHost_IsAccepted(string host)
    {
        ParseOk($"{{'servers':[{{'host':'{host}','port':1}}]}}").Levels[0].Servers[0].Host.ShouldBe(host);
    }

    public static TheoryData<string> InvalidHosts() => new()
    {
        new string('a', 254),
        string.Join('.', Enumerable.Repeat(new string('a', 63), 4)) + "a",
        new string('a', 64) + ".example.com",
        new string('a', 10_000),
        "a..b",
        ".a",
        "a\u0001b",
        "a\tb",
        "bücher.example",
        "[10.0.0.1]",
        "[::1",
        "::g",
        "a:b",
        "a%2fb",
    };

    [Theory]
    [MemberData(nameof(InvalidHosts))]
    public void Parse_InvalidHost_IsRefusedNamingTheField(string host)
    {
        // Serialized, so control characters reach the parser as JSON escapes, not as malformed JSON.
        Parse($"{{'cluster':[{{'servers':[{{'host':'a','port':1}},{{'host':{JsonSerializer.Serialize(host)},'port':1}}]}}]}}").Error
            .ShouldBe("cluster[0].servers[1].host: must be " + UpstreamConfigErrors.HostRequirement);
    }

    [Fact]
    public void Parse_TryTimeoutZero_IsAcceptedAsNoLimit()
    {
        ParseOk("{'servers':[{'host':'a','port':1}],'try_timeout':0}").TryTimeout.ShouldBe(TimeSpan.Zero);
    }

    [Theory]
    // Body shape.
    [InlineData("[1]", "body invalid: must be a JSON object")]
    [InlineData("'servers'", "body invalid: must be a JSON object")]
    [InlineData("{}", "body invalid: needs \"servers\" or \"cluster\"")]
    [InlineData("{'try':1}", "body invalid: needs \"servers\" or \"cluster\"")]
    [InlineData("{'servers':[{'host':'a','port':1}],'cluster':[]}", "body invalid: \"servers\" and \"cluster\" are mutually exclusive")]
    [InlineData("{'foo':1,'servers':[{'host':'a','port':1}]}", "unknown field \"foo\"")]
    [InlineData("{'servers':[{'host':'a','port':1}],'Servers':[]}", "unknown field \"Servers\"")]
    [InlineData("{'servers':[{'host':'a','port':1}],'servers':[{'host':'b','port':1}]}", "duplicate field \"servers\"")]
    // Levels.
    [InlineData("{'servers':[]}", "servers invalid: empty")]
    [InlineData("{'servers':{}}", "servers invalid: must be an array")]
    [InlineData("{'servers':null}", "servers invalid: must be an array")]
    [InlineData("{'cluster':[]}", "cluster invalid: empty")]
    [InlineData("{'cluster':{'dc1':{}}}", "cluster.dc1: can not update empty level")]
    [InlineData("{'cluster':1}", "cluster invalid: must be an array of levels or an object of named levels")]
    [InlineData("{'cluster':[{}]}", "cluster[0]: can not update empty level")]
    [InlineData("{'cluster':[{'servers':[{'host':'a','port':1}]},{}]}", "cluster[1]: can not update empty level")]
    [InlineData("{'cluster':[1]}", "cluster[0]: level must be an object")]
    [InlineData("{'cluster':[{'servers':[]}]}", "cluster[0].servers invalid: empty")]
    [InlineData("{'cluster':[{'servers':[{'host':'a','port':1}],'try':2}]}", "unknown field \"cluster[0].try\"")]
    [InlineData("{'cluster':[{'servers':[{'host':'a','port':1}]},{'servers':[{'host':'c'}]}]}", "cluster[1].servers[0]: no server.host nor server.port found")]
    // Peers.
    [InlineData("{'servers':[1]}", "servers[0]: server must be an object")]
    [InlineData("{'servers':[{'hots':'a','port':1}]}", "unknown field \"servers[0].hots\"")]
    [InlineData("{'servers':[{'host':'a','port':1},{'weight':2}]}", "servers[1]: no server.host nor server.port found")]
    [InlineData("{'servers':[{'host':'a'}]}", "servers[0]: no server.host nor server.port found")]
    [InlineData("{'servers':[{'port':1}]}", "servers[0]: no server.host nor server.port found")]
    [InlineData("{'servers':[{'host':'a','host':'b','port':1}]}", "duplicate field \"servers[0].host\"")]
    [InlineData("{'servers':[{'host':'','port':1}]}", "servers[0].host: must be " + UpstreamConfigErrors.HostRequirement)]
    [InlineData("{'servers':[{'host':'a b','port':1}]}", "servers[0].host: must be " + UpstreamConfigErrors.HostRequirement)]
    [InlineData("{'servers':[{'host':'a/b','port':1}]}", "servers[0].host: must be " + UpstreamConfigErrors.HostRequirement)]
    [InlineData("{'servers':[{'host':1,'port':1}]}", "servers[0].host: must be " + UpstreamConfigErrors.HostRequirement)]
    [InlineData("{'servers':[{'host':'a','port':0}]}", "servers[0].port: must be an integer in 1..65535")]
    [InlineData("{'servers':[{'host':'a','port':65536}]}", "servers[0].port: must be an integer in 1..65535")]
    [InlineData("{'servers':[{'host':'a','port':80.5}]}", "servers[0].port: must be an integer in 1..65535")]
    [InlineData("{'servers':[{'host':'a','port':-80}]}", "servers[0].port: must be an integer in 1..65535")]
    [InlineData("{'servers':[{'host':'a','port':1e400}]}", "servers[0].port: must be an integer in 1..65535")]
    [InlineData("{'servers':[{'host':'a','port':true}]}", "servers[0].port: must be an integer in 1..65535")]
    [InlineData("{'servers':[{'host':'a','port':null}]}", "servers[0].port: must be an integer in 1..65535")]
    [InlineData("{'servers':[{'host':'a','port':'80'}]}", "servers[0].port: must be an integer in 1..65535, not a string")]
    [InlineData("{'servers':[{'host':'a','port':1,'weight':0}]}", "servers[0].weight: must be an integer >= 1")]
    [InlineData("{'servers':[{'host':'a','port':1,'weight':'2'}]}", "servers[0].weight: must be an integer >= 1, not a string")]
    [InlineData("{'servers':[{'host':'a','port':1,'max_fails':-1}]}", "servers[0].max_fails: must be an integer >= 0")]
    [InlineData("{'servers':[{'host':'a','port':1,'fail_timeout':-1}]}", "servers[0].fail_timeout: must be a number of seconds >= 0 and <= 86400")]
    [InlineData("{'servers':[{'host':'a','port':1,'fail_timeout':86401}]}", "servers[0].fail_timeout: must be a number of seconds >= 0 and <= 86400")]
    [InlineData("{'cluster':[{'servers':[{'host':'a','port':1,'weight':-1}]}]}", "cluster[0].servers[0].weight: must be an integer >= 1")]
    // Top-level options.
    [InlineData("{'servers':[{'host':'a','port':1}],'try':0}", "try: must be an integer >= 1")]
    [InlineData("{'servers':[{'host':'a','port':1}],'try':1.5}", "try: must be an integer >= 1")]
    [InlineData("{'servers':[{'host':'a','port':1}],'try_timeout':-1}", "try_timeout: must be a number of seconds >= 0 and <= 86400")]
    [InlineData("{'servers':[{'host':'a','port':1}],'timeout':-1}", "timeout: must be a number of seconds > 0 and <= 86400")]
    [InlineData("{'servers':[{'host':'a','port':1}],'timeout':'5'}", "timeout: must be a number of seconds > 0 and <= 86400, not a string")]
    [InlineData("{'servers':[{'host':'a','port':1}],'enable':'true'}", "enable: must be a boolean, not a string")]
    [InlineData("{'servers':[{'host':'a','port':1}],'enable':1}", "enable: must be a boolean")]
    [InlineData("{'servers':[{'host':'a','port':1}],'next_upstream':''}", "next_upstream: needs at least one condition (or \"off\")")]
    [InlineData("{'servers':[{'host':'a','port':1}],'next_upstream':'off error'}", "next_upstream: \"off\" cannot be combined with other conditions")]
    [InlineData("{'servers':[{'host':'a','port':1}],'next_upstream':['error']}", "next_upstream: must be a non-empty string of space-separated conditions")]
    [InlineData("{'servers':[{'host':'a','port':1}],'next_upstream':'error http_418'}",
        "next_upstream: unknown condition \"http_418\" (expected error timeout http_500 http_502 http_503 http_504 http_429 http_403 http_404 non_idempotent off)")]
    public void Parse_InvalidBody_NamesTheProblem(string json, string expected)
    {
        var result = Parse(json);

        result.Success.ShouldBeFalse();
        result.Config.ShouldBeNull();
        result.Error.ShouldBe(expected);
    }

    [Fact]
    public void Parse_NextUpstreamEveryCondition_IsAccepted()
    {
        var all = string.Join(' ', NextUpstreamParser.Conditions.Where(c => c.Name != "off").Select(c => c.Name));

        ParseOk($"{{'servers':[{{'host':'a','port':1}}],'next_upstream':'{all}'}}").NextUpstream.ShouldNotBeNull().ShouldBe(NextUpstreamConditions.Error | NextUpstreamConditions.Timeout | NextUpstreamConditions.Http500 | NextUpstreamConditions.Http502 | NextUpstreamConditions.Http503 | NextUpstreamConditions.Http504 | NextUpstreamConditions.Http429 | NextUpstreamConditions.Http403 | NextUpstreamConditions.Http404 | NextUpstreamConditions.NonIdempotent);
    }

    [Fact]
    public void Parse_FirstProblem_IsReported()
    {
        Parse("{'servers':[{'host':'a','port':0},{'host':'b','port':0}]}").Error.ShouldBe("servers[0].port: must be an integer in 1..65535");
    }
}
