using Shouldly;
using Slardar.Scriptable.Host.Checkups.Probes;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Checkups.Probes;

/// <summary>The redis probe against real redis-server processes (see <see cref="RedisServer"/>).</summary>
public sealed class RedisProbeTests
{
    // Replication and failure detection are up to redis; these bound how long the tests wait for it.
    private static readonly TimeSpan RedisLimit = TimeSpan.FromSeconds(30);

    private readonly RedisProbe _probe = new();

    private Task<ProbeResult> ProbeAsync(RedisServer server) =>
        _probe.ProbeAsync("127.0.0.1", server.Port, ProbeTestSettings.Patient, CancellationToken.None);

    private static IReadOnlyDictionary<string, string> Replication(ProbeResult result) =>
        result.Extra.ShouldNotBeNull()[RedisProbe.ReplicationField].ShouldBeAssignableTo<IReadOnlyDictionary<string, string>>()!;

    private static bool LinkIs(ProbeResult result, string status) =>
        result.Extra?.GetValueOrDefault(RedisProbe.ReplicationField) is IReadOnlyDictionary<string, string> replication
        && replication.GetValueOrDefault("master_link_status") == status;

    private async Task<ProbeResult> WaitForLinkAsync(RedisServer replica, string status) =>
        await Poll.UntilAsync(() => ProbeAsync(replica), r => LinkIs(r, status), RedisLimit, $"the replica's master link to be {status}");

    [Fact]
    public async Task ProbeAsync_Master_IsOkWithRoleAndVersion()
    {
        using var master = await RedisServer.StartAsync();

        var result = await ProbeAsync(master);

        result.Status.ShouldBe(PeerHealthStatus.Ok);
        result.Message.ShouldBeNull();
        Replication(result).ShouldBe(new Dictionary<string, string> { ["role"] = "master" });
        result.Extra![RedisProbe.VersionField].ShouldBeOfType<string>().ShouldMatch(@"^\d+\.\d+\.\d+");
    }

    [Fact]
    public async Task ProbeAsync_LinkedReplica_IsOkWithMasterDetails()
    {
        using var master = await RedisServer.StartAsync();
        using var replica = await RedisServer.StartAsync(replicaOfPort: master.Port);

        var result = await WaitForLinkAsync(replica, "up");

        result.Status.ShouldBe(PeerHealthStatus.Ok);
        result.Message.ShouldBeNull();
        var replication = Replication(result);
        replication["role"].ShouldBeOneOf("slave", "replica");
        replication["master_host"].ShouldBe("127.0.0.1");
        replication["master_port"].ShouldBe(master.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        replication.Keys.ShouldContain("master_last_io_seconds_ago");
        replication.Keys.ShouldNotContain("master_link_down_since_seconds");
        result.Extra!.Keys.ShouldContain(RedisProbe.VersionField);
    }

    [Fact]
    public async Task ProbeAsync_ReplicaWhoseMasterDied_IsUnstable()
    {
        using var master = await RedisServer.StartAsync();
        using var replica = await RedisServer.StartAsync(replicaOfPort: master.Port);
        await WaitForLinkAsync(replica, "up");

        master.Kill();
        var result = await WaitForLinkAsync(replica, "down");

        result.Status.ShouldBe(PeerHealthStatus.Unstable);
        result.Message.ShouldBe("master link status: down");
        Replication(result).Keys.ShouldContain("master_link_down_since_seconds");
        (await ProbeAsync(master)).ShouldBe(ProbeResult.Err("connection refused"));
    }
}
