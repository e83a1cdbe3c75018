using System.Text;
using Shouldly;
using Slardar.Scriptable.Host.Checkups;

namespace Slardar.Scriptable.Tests.Checkups;

public sealed class UpstreamConfigWriterTests
{
    private static UpstreamConfig ParseOk(string json)
    {
        var result = UpstreamConfigParser.Parse("up", Encoding.UTF8.GetBytes(json));
        result.Success.ShouldBeTrue(result.Error);
        return result.Config!;
    }

    [Theory]
    [InlineData("""{"servers":[{"host":"127.0.0.1","port":8001}]}""")]
    [InlineData("""{"cluster":[{"servers":[{"host":"a","port":1,"weight":5,"max_fails":0,"fail_timeout":2.5}]},{"servers":[{"host":"b","port":2}]}],"try":3,"try_timeout":1.5,"next_upstream":"error http_503 non_idempotent","timeout":2,"enable":false}""")]
    [InlineData("""{"servers":[{"host":"r","port":6379}],"typ":"redis","protected":false,"sensibility":3,"rise":2}""")]
    [InlineData("""{"servers":[{"host":"h","port":80}],"typ":"http","http_opts":{"query":"GET /health HTTP/1.0\r\n\r\n","statuses":{"502":false,"503":false,"200":true}}}""")]
    [InlineData("""{"servers":[{"host":"m","port":3306}],"typ":"mysql","name":"db","user":"u","pass":"p","charset":"utf8"}""")]
    [InlineData("""{"servers":[{"host":"a","port":1},{"host":"b","port":2,"weight":3}],"mode":"url_hash"}""")]
    [InlineData("""{"servers":[{"host":"a","port":1}],"mode":"ewma","outlier":{"consecutive_5xx":3,"max_ejection_percent":30}}""")]
    [InlineData("""{"servers":[{"host":"a","port":1}],"outlier":{"enable":false}}""")]
    [InlineData("""{"cluster":{"dc1":{"servers":[{"host":"a","port":1}]},"dc2":{"servers":[{"host":"b","port":2}]}},"mode":"least_conn"}""")]
    public void ToJson_ParsedAgain_GivesTheSameConfig(string json)
    {
        var first = ParseOk(json);

        var written = UpstreamConfigWriter.ToJson(first);
        var second = ParseOk(written);

        UpstreamConfigWriter.ToJson(second).ShouldBe(written);
        second.Heartbeat.ShouldBe(first.Heartbeat with { HttpFailureStatuses = second.Heartbeat.HttpFailureStatuses });
        second.Heartbeat.HttpFailureStatuses.SetEquals(first.Heartbeat.HttpFailureStatuses).ShouldBeTrue();
        second.Levels.Length.ShouldBe(first.Levels.Length);
        second.Levels.Select(l => l.Name).ShouldBe(first.Levels.Select(l => l.Name));
        second.Mode.ShouldBe(first.Mode);
        second.Outlier.ShouldBe(first.Outlier);
        second.Levels.SelectMany(l => l.Servers).ShouldBe(first.Levels.SelectMany(l => l.Servers));
    }

    [Fact]
    public void ToJson_ServersShorthand_IsWrittenAsOneClusterLevelWithEveryPeerField()
    {
        var json = UpstreamConfigWriter.ToJson(ParseOk("""{"servers":[{"host":"127.0.0.1","port":8001}]}"""));

        json.ShouldBe("""{"cluster":[{"servers":[{"host":"127.0.0.1","port":8001,"weight":1,"max_fails":1,"fail_timeout":10}]}],"enable":true,"typ":"general"}""");
    }
}
