using Shouldly;
using Slardar.Scriptable.Host.Checkups.Probes;

namespace Slardar.Scriptable.Tests.Checkups.Probes;

/// <summary>The redis probe against scripted RESP servers, for answers a real server rarely gives.</summary>
public sealed class RedisProbeProtocolTests
{
    private const string ReplicaInfo =
        "# Replication\r\nrole:slave\r\nmaster_host:10.0.0.1\r\nmaster_port:6379\r\nmaster_link_status:down\r\n"
        + "master_last_io_seconds_ago:-1\r\nmaster_sync_in_progress:0\r\nmaster_link_down_since_seconds:42\r\nconnected_slaves:0\r\n";

    private readonly RedisProbe _probe = new();

    private Task<ProbeResult> ProbeAsync(ScriptedPeer peer) =>
        _probe.ProbeAsync("127.0.0.1", peer.Port, ProbeTestSettings.Patient, CancellationToken.None);

    [Fact]
    public async Task ProbeAsync_NoAuth_IsErrWithTheServerMessage()
    {
        using var peer = FakeRedis.Start(_ => "-NOAUTH Authentication required.\r\n");

        var result = await ProbeAsync(peer);

        result.ShouldBe(ProbeResult.Err("NOAUTH Authentication required."));
        await peer.ClientClosed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ProbeAsync_ReplicaWithLinkDown_IsUnstableWithOnlyTheReportedFields()
    {
        using var peer = FakeRedis.Start(command => command switch
        {
            ["PING"] => "+PONG\r\n",
            ["INFO", "replication"] => FakeRedis.Bulk(ReplicaInfo),
            ["INFO", "server"] => FakeRedis.Bulk("# Server\r\nredis_version:6.2.14\r\nredis_mode:standalone\r\n"),
            _ => "-ERR unexpected\r\n",
        });

        var result = await ProbeAsync(peer);

        result.Status.ShouldBe(PeerHealthStatus.Unstable);
        result.Message.ShouldBe("master link status: down");
        result.Extra.ShouldNotBeNull().Keys.ShouldBe(["replication", "redis_version"], ignoreOrder: true);
        result.Extra["redis_version"].ShouldBe("6.2.14");
        result.Extra["replication"].ShouldBeAssignableTo<IReadOnlyDictionary<string, string>>()!.ShouldBe(new Dictionary<string, string>
        {
            ["role"] = "slave",
            ["master_host"] = "10.0.0.1",
            ["master_port"] = "6379",
            ["master_link_status"] = "down",
            ["master_link_down_since_seconds"] = "42",
            ["master_last_io_seconds_ago"] = "-1",
        });
    }

    [Fact]
    public async Task ProbeAsync_NoInfoSections_FallsBackToPlainInfo()
    {
        var commands = new List<string>();
        using var peer = FakeRedis.Start(command =>
        {
            lock (commands)
            {
                commands.Add(string.Join(' ', command));
            }

            return command switch
            {
                ["PING"] => "+PONG\r\n",
                ["INFO"] => FakeRedis.Bulk("redis_version:2.4.17\r\nrole:master\r\n"),
                _ => "-ERR wrong number of arguments for 'info' command\r\n",
            };
        });

        var result = await ProbeAsync(peer);

        result.Status.ShouldBe(PeerHealthStatus.Ok);
        result.Extra.ShouldNotBeNull()["redis_version"].ShouldBe("2.4.17");
        result.Extra["replication"].ShouldBeAssignableTo<IReadOnlyDictionary<string, string>>()!["role"].ShouldBe("master");
        lock (commands)
        {
            commands.ShouldBe(["PING", "INFO replication", "INFO"]);
        }
    }

    [Fact]
    public async Task ProbeAsync_InfoRefused_IsOkWithoutExtra()
    {
        using var peer = FakeRedis.Start(command => command is ["PING"] ? "+PONG\r\n" : "-ERR unknown command 'INFO'\r\n");

        var result = await ProbeAsync(peer);

        result.ShouldBe(ProbeResult.Ok());
    }

    [Fact]
    public async Task ProbeAsync_LargeInfo_IsReadWhole()
    {
        var padding = string.Concat(Enumerable.Range(0, 2000).Select(i => $"field{i}:value{i}\r\n"));
        using var peer = FakeRedis.Start(command => command switch
        {
            ["PING"] => "+PONG\r\n",
            ["INFO", "replication"] => FakeRedis.Bulk(padding + "role:master\r\n"),
            _ => FakeRedis.Bulk("redis_version:7.2.4\r\n"),
        });

        var result = await ProbeAsync(peer);

        result.Status.ShouldBe(PeerHealthStatus.Ok);
        result.Extra.ShouldNotBeNull()["redis_version"].ShouldBe("7.2.4");
    }

    [Theory]
    [InlineData("HTTP/1.1 400 Bad Request\r\n")]
    [InlineData("\r\n")]
    [InlineData("*1\r\n$4\r\nPONG\r\n")]
    public async Task ProbeAsync_NotRedis_IsErrInvalidReply(string reply)
    {
        using var peer = FakeRedis.Start(_ => reply);

        var result = await ProbeAsync(peer);

        result.ShouldBe(ProbeResult.Err("invalid redis reply"));
    }

    [Fact]
    public async Task ProbeAsync_PingAnswersSomethingElse_IsErr()
    {
        using var peer = FakeRedis.Start(_ => "+OK\r\n");

        var result = await ProbeAsync(peer);

        result.ShouldBe(ProbeResult.Err("unexpected reply to PING"));
    }

    [Theory]
    [InlineData("$99999999\r\n")]
    [InlineData("$-7\r\n")]
    [InlineData("$1x\r\n")]
    [InlineData("$3\r\nabcde\r\n")]
    public async Task ProbeAsync_BadBulkInfo_IsErrInvalidReply(string info)
    {
        using var peer = FakeRedis.Start(command => command is ["PING"] ? "+PONG\r\n" : info);

        var result = await ProbeAsync(peer);

        result.ShouldBe(ProbeResult.Err("invalid redis reply"));
    }

    [Fact]
    public void Parse_InfoText_SkipsHeadersAndSplitsAtTheFirstColon() =>
        RedisInfo.Parse("# Replication\r\nrole:master\r\nslave0:ip=10.0.0.2,port=6380,state=online\r\n\r\nbogus\r\n")
            .ShouldBe(new Dictionary<string, string> { ["role"] = "master", ["slave0"] = "ip=10.0.0.2,port=6380,state=online" });

    [Fact]
    public void Encode_Command_IsAnArrayOfBulkStrings() =>
        RespClient.Encode(["INFO", "replication"]).ShouldBe("*2\r\n$4\r\nINFO\r\n$11\r\nreplication\r\n"u8.ToArray());

    [Fact]
    public void Type_IsRedis() => _probe.Type.ShouldBe("redis");
}
