using System.Net;
using System.Text;
using Shouldly;
using Slardar.Scriptable.Host.Routing;

namespace Slardar.Scriptable.Tests.Routing;

/// <summary>scripts.json's <c>"streams"</c>: TCP listeners (issue 16).</summary>
public sealed class ManifestParserStreamsTests
{
    private static ManifestParseResult Parse(string json) => ManifestParser.Parse(Encoding.UTF8.GetBytes(json), "/srv/gw");

    [Fact]
    public void Parse_StreamsOfTheIssue_AreRead()
    {
        var result = Parse("""
            {
              "streams": {
                "127.0.0.1:6380": { "upstream": "redis-pool" },
                "0.0.0.0:3307": { "upstream": "mysql", "proxy_timeout": 30, "max_session_time": 3600, "preread_bytes": 0, "scripts": { "preread": "ops/mysql-route.csx" } },
                "[::1]:4443": { "preread_timeout": 2.5, "max_sessions": 10, "scripts": { "preread": "ops/sni.csx" } },
                "7000": { "upstream": "mqtt" }
              }
            }
            """);

        result.IsValid.ShouldBeTrue(result.Error);
        var streams = result.Config.Streams;
        streams.Select(s => s.Address).ShouldBe(["127.0.0.1:6380", "0.0.0.0:3307", "[::1]:4443", "0.0.0.0:7000"]);
        streams[0].EndPoint.ShouldBe(new IPEndPoint(IPAddress.Loopback, 6380));
        (streams[0].Upstream, streams[0].ProxyTimeout, streams[0].MaxSessionTime, streams[0].PrereadScriptFile).ShouldBe(("redis-pool", TimeSpan.FromMinutes(10), (TimeSpan?)null, (string?)null));
        (streams[1].ProxyTimeout, streams[1].MaxSessionTime, streams[1].PrereadBytes, streams[1].PrereadScriptFile).ShouldBe((TimeSpan.FromSeconds(30), (TimeSpan?)TimeSpan.FromHours(1), 0, "/srv/gw/ops/mysql-route.csx"));
        (streams[2].Upstream, streams[2].PrereadTimeout, streams[2].MaxSessions, streams[2].ScriptPattern).ShouldBe(((string?)null, TimeSpan.FromSeconds(2.5), 10, "stream:4443"));
    }

    [Fact]
    public void Parse_ScriptOptions_ReadAsAHostsAre()
    {
        var result = Parse("""{ "streams": { "6380": { "upstream": "r", "trusted": true, "budget_ms": 5, "budget_mb": 1.5 }, "6381": { "upstream": "r" } } }""");

        result.IsValid.ShouldBeTrue(result.Error);
        var (options, defaults) = (result.Config.Streams[0], result.Config.Streams[1]);
        (options.Trusted, options.Budget, options.AllocationBudget).ShouldBe((true, (TimeSpan?)TimeSpan.FromMilliseconds(5), (long?)(1536 * 1024)));
        (defaults.Trusted, defaults.Budget, defaults.AllocationBudget).ShouldBe((false, (TimeSpan?)null, (long?)null));
    }

    [Theory]
    [InlineData("""{"streams": {"127.0.0.1:6380": {"upstream": "r", "budget_ms": 0}}}""", "streams: 127.0.0.1:6380: \"budget_ms\" must be a number of milliseconds in (0, 60000]")]
    [InlineData("""{"streams": {"127.0.0.1:6380": {"upstream": "r", "budget_ms": 60001}}}""", "\"budget_ms\" must be a number of milliseconds")]
    [InlineData("""{"streams": {"127.0.0.1:6380": {"upstream": "r", "budget_mb": "1"}}}""", "streams: 127.0.0.1:6380: \"budget_mb\" must be a number of MiB")]
    [InlineData("""{"streams": {"127.0.0.1:6380": {"upstream": "r", "trusted": 1}}}""", "streams: 127.0.0.1:6380: \"trusted\" must be true or false")]
    [InlineData("""{"streams": []}""", "streams: must be an object")]
    [InlineData("""{"streams": {"localhost:6380": {"upstream": "r"}}}""", "streams: \"localhost:6380\" is not a listen address")]
    [InlineData("""{"streams": {"127.0.0.1": {"upstream": "r"}}}""", "streams: \"127.0.0.1\" is not a listen address")]
    [InlineData("""{"streams": {"127.0.0.1:70000": {"upstream": "r"}}}""", "is not a listen address")]
    [InlineData("""{"streams": {"0": {"upstream": "r"}}}""", "is not a listen address")]
    [InlineData("""{"streams": {"127.0.0.1:6380": {"upstream": "r"}, "0.0.0.0:6380": {"upstream": "r"}}}""", "port 6380 is listed twice")]
    [InlineData("""{"streams": {"127.0.0.1:6380": "r"}}""", "streams: 127.0.0.1:6380: must be an object")]
    [InlineData("""{"streams": {"127.0.0.1:6380": {"upstream": "r", "color": 1}}}""", "streams: 127.0.0.1:6380: unknown field \"color\"")]
    [InlineData("""{"streams": {"127.0.0.1:6380": {"upstream": "a b"}}}""", "\"upstream\" must be an upstream name")]
    [InlineData("""{"streams": {"127.0.0.1:6380": {"upstream": "r", "proxy_timeout": "30"}}}""", "\"proxy_timeout\" must be a number of seconds")]
    [InlineData("""{"streams": {"127.0.0.1:6380": {"upstream": "r", "proxy_timeout": 0}}}""", "\"proxy_timeout\" must be a number of seconds")]
    [InlineData("""{"streams": {"127.0.0.1:6380": {"upstream": "r", "preread_bytes": 100000}}}""", "\"preread_bytes\" must be an integer")]
    [InlineData("""{"streams": {"127.0.0.1:6380": {"upstream": "r", "max_sessions": 0}}}""", "\"max_sessions\" must be an integer")]
    [InlineData("""{"streams": {"127.0.0.1:6380": {"scripts": {"rewrite": "x.csx"}}}}""", "unknown phase \"rewrite\"")]
    [InlineData("""{"streams": {"127.0.0.1:6380": {"scripts": {"preread": 1}}}}""", "scripts.preread must be a file path")]
    [InlineData("""{"streams": {"127.0.0.1:0": {}}}""", "\"upstream\" is required")]
    public void Parse_BadStreamEntry_RejectedWithAnErrorNamingIt(string json, string error)
    {
        var result = Parse(json);

        result.IsValid.ShouldBeFalse();
        result.Error.ShouldContain(error);
    }
}
