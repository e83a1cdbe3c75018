using System.Text;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Tests.Checkups;

public sealed class UpstreamConfigParserHeartbeatTests
{
    private static UpstreamParseResult Parse(string json) => UpstreamConfigParser.Parse("up", Encoding.UTF8.GetBytes(json));

    [Fact]
    public void Parse_NoHeartbeatFields_UsesCheckupsDefaults()
    {
        var heartbeat = Parse("""{"servers":[{"host":"a","port":1}]}""").Config!.Heartbeat;

        heartbeat.Type.ShouldBe("general");
        heartbeat.Protected.ShouldBeTrue();
        heartbeat.Sensibility.ShouldBe(1);
        heartbeat.Rise.ShouldBe(1);
        heartbeat.HttpQuery.ShouldBeNull();
        heartbeat.HttpFailureStatuses.ShouldBeEmpty();
    }

    [Fact]
    public void Parse_HttpOptions_KeepsQueryAndTheStatusesMappedToFalse()
    {
        var heartbeat = Parse("""{"servers":[{"host":"a","port":1}],"typ":"http","http_opts":{"query":"GET /status HTTP/1.1\r\nHost: localhost\r\n\r\n","statuses":{"502":false,"500":false,"200":true}}}""").Config!.Heartbeat;

        heartbeat.Type.ShouldBe("http");
        heartbeat.HttpQuery.ShouldBe("GET /status HTTP/1.1\r\nHost: localhost\r\n\r\n");
        heartbeat.HttpFailureStatuses.Order().ShouldBe([500, 502]);
    }

    [Theory]
    [InlineData("""{"servers":[{"host":"a","port":1}],"typ":"tcp"}""", "typ: must be one of general, http, redis, mysql")]
    [InlineData("""{"servers":[{"host":"a","port":1}],"typ":"http","http_opts":{"query":1}}""", "http_opts.query: must be a string")]
    [InlineData("""{"servers":[{"host":"a","port":1}],"http_opts":{"quer":"x"}}""", "unknown field \"http_opts.quer\"")]
    [InlineData("""{"servers":[{"host":"a","port":1}],"http_opts":{"statuses":{"5xx":false}}}""", "http_opts.statuses.5xx: the key must be an HTTP status code in 100..599")]
    [InlineData("""{"servers":[{"host":"a","port":1}],"http_opts":{"statuses":{"502":"no"}}}""", "http_opts.statuses.502: must be a boolean")]
    [InlineData("""{"servers":[{"host":"a","port":1}],"http_opts":[]}""", "http_opts: must be an object")]
    [InlineData("""{"servers":[{"host":"a","port":1}],"protected":"yes"}""", "protected: must be a boolean")]
    [InlineData("""{"servers":[{"host":"a","port":1}],"sensibility":0}""", "sensibility: must be an integer in 1..100")]
    [InlineData("""{"servers":[{"host":"a","port":1}],"rise":1000}""", "rise: must be an integer in 1..100")]
    public void Parse_BadHeartbeatField_NamesIt(string json, string expected)
    {
        var result = Parse(json);

        result.Success.ShouldBeFalse();
        result.Error.ShouldNotBeNull().ShouldContain(expected);
    }
}
