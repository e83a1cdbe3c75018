using System.Net.Sockets;
using Shouldly;
using Slardar.Scriptable.Host.Checkups.Probes;

namespace Slardar.Scriptable.Tests.Checkups.Probes;

public sealed class MysqlProbeTests
{
    private readonly MysqlProbe _probe = new();

    private Task<ProbeResult> ProbeAsync(ScriptedPeer peer) =>
        _probe.ProbeAsync("127.0.0.1", peer.Port, ProbeTestSettings.Patient, CancellationToken.None);

    [Fact]
    public async Task ProbeAsync_Greeting_IsOkWithServerVersion()
    {
        using var peer = ScriptedPeer.Writing(MysqlPackets.Greeting("8.0.36"));

        var result = await ProbeAsync(peer);

        result.Status.ShouldBe(PeerHealthStatus.Ok);
        result.Message.ShouldBeNull();
        result.Extra.ShouldNotBeNull().ShouldBe(new Dictionary<string, object?> { ["mysql_version"] = "8.0.36" });
        await peer.ClientClosed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ProbeAsync_GreetingInSmallPieces_IsOk()
    {
        var greeting = MysqlPackets.Greeting("5.7.44-log");
        using var peer = ScriptedPeer.Start(async (socket, ct) =>
        {
            foreach (var chunk in greeting.Chunk(3))
            {
                await socket.SendAsync(chunk, SocketFlags.None, ct);
            }
        });

        var result = await ProbeAsync(peer);

        result.Extra.ShouldNotBeNull()["mysql_version"].ShouldBe("5.7.44-log");
    }

    [Fact]
    public async Task ProbeAsync_ErrorPacket_IsErrWithCodeAndMessage()
    {
        using var peer = ScriptedPeer.Writing(MysqlPackets.Error(1040, "Too many connections"));

        var result = await ProbeAsync(peer);

        result.ShouldBe(ProbeResult.Err("mysql error 1040: Too many connections"));
    }

    [Fact]
    public async Task ProbeAsync_ErrorPacketWithSqlState_LeavesTheStateOut()
    {
        using var peer = ScriptedPeer.Writing(MysqlPackets.Error(1129, "Host '10.0.0.9' is blocked", sqlState: "HY000"));

        var result = await ProbeAsync(peer);

        result.ShouldBe(ProbeResult.Err("mysql error 1129: Host '10.0.0.9' is blocked"));
    }

    [Fact]
    public async Task ProbeAsync_Garbage_IsErrInvalidHandshake()
    {
        using var peer = ScriptedPeer.Writing("HTTP/1.1 400 Bad Request\r\n\r\n"u8.ToArray());

        var result = await ProbeAsync(peer);

        result.ShouldBe(ProbeResult.Err("invalid handshake"));
    }

    [Theory]
    [InlineData(new byte[] { 0x00, 0x00, 0x00, 0x00 })] // empty payload
    [InlineData(new byte[] { 0x01, 0x00, 0x01, 0x00, 0x0a })] // 65537 bytes announced
    [InlineData(new byte[] { 0x05, 0x00, 0x00, 0x00, 0x0a, (byte)'8', (byte)'.', (byte)'0', (byte)'.' })] // version never ends
    [InlineData(new byte[] { 0x02, 0x00, 0x00, 0x00, 0xff, 0x10 })] // error packet without a whole code
    [InlineData(new byte[] { 0x04, 0x00, 0x00, 0x00, 0x09, 0x31, 0x00, 0x00 })] // protocol 9
    public async Task ProbeAsync_MalformedPacket_IsErrInvalidHandshake(byte[] bytes)
    {
        using var peer = ScriptedPeer.Writing(bytes);

        var result = await ProbeAsync(peer);

        result.ShouldBe(ProbeResult.Err("invalid handshake"));
    }

    [Theory]
    [InlineData(2)]
    [InlineData(20)]
    public async Task ProbeAsync_ClosedMidPacket_IsErrInvalidHandshake(int length)
    {
        var greeting = MysqlPackets.Greeting("8.0.36");
        using var peer = ScriptedPeer.Start(async (socket, ct) =>
        {
            await socket.SendAsync(greeting.AsMemory(0, length), SocketFlags.None, ct);
            socket.Shutdown(SocketShutdown.Send);
        });

        var result = await ProbeAsync(peer);

        result.ShouldBe(ProbeResult.Err("invalid handshake"));
    }

    [Fact]
    public async Task ProbeAsync_ClosedAtOnce_IsErrConnectionClosed()
    {
        using var peer = ScriptedPeer.Start((socket, _) =>
        {
            socket.Dispose();
            return Task.CompletedTask;
        });

        var result = await ProbeAsync(peer);

        result.Status.ShouldBe(PeerHealthStatus.Err);
        result.Message.ShouldBe("connection closed");
    }

    [Fact]
    public async Task ProbeAsync_NoGreeting_IsErrTimeout()
    {
        using var peer = ScriptedPeer.Start((_, _) => Task.CompletedTask);

        var result = await _probe.ProbeAsync("127.0.0.1", peer.Port, new ProbeSettings { Timeout = TimeSpan.FromMilliseconds(300) }, CancellationToken.None);

        result.ShouldBe(ProbeResult.Err("timeout"));
    }

    [Fact]
    public void Type_IsMysql() => _probe.Type.ShouldBe("mysql");
}
