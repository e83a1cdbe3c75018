using System.Net;
using System.Net.Sockets;
using Shouldly;
using Slardar.Scriptable.Host.Checkups.Probes;
using Slardar.Scriptable.Tests.Support;

namespace Slardar.Scriptable.Tests.Checkups.Probes;

public sealed class TcpProbeTests
{
    private readonly TcpProbe _probe = new();

    [Fact]
    public async Task ProbeAsync_Listening_IsOkAndClosesTheConnection()
    {
        using var peer = ScriptedPeer.Start((_, _) => Task.CompletedTask);

        var result = await _probe.ProbeAsync("127.0.0.1", peer.Port, ProbeSettings.Default, CancellationToken.None);

        result.ShouldBe(ProbeResult.Ok());
        await peer.ClientClosed.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task ProbeAsync_PlainTcpListener_IsOk()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();

        var result = await _probe.ProbeAsync("127.0.0.1", ((IPEndPoint)listener.LocalEndpoint).Port, ProbeSettings.Default, CancellationToken.None);

        result.Status.ShouldBe(PeerHealthStatus.Ok);
        result.Message.ShouldBeNull();
    }

    [Fact]
    public async Task ProbeAsync_HostName_IsResolved()
    {
        using var peer = ScriptedPeer.Start((_, _) => Task.CompletedTask);

        var result = await _probe.ProbeAsync("localhost", peer.Port, ProbeSettings.Default, CancellationToken.None);

        result.Status.ShouldBe(PeerHealthStatus.Ok);
    }

    [Fact]
    public async Task ProbeAsync_NothingListening_IsErrConnectionRefused()
    {
        var result = await _probe.ProbeAsync("127.0.0.1", DeadPeer.ReservePort(), ProbeSettings.Default, CancellationToken.None);

        result.ShouldBe(ProbeResult.Err("connection refused"));
    }

    [Fact]
    public async Task ProbeAsync_CallerCancelled_ThrowsInsteadOfReportingThePeer()
    {
        using var peer = ScriptedPeer.Start((_, _) => Task.CompletedTask);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(() => _probe.ProbeAsync("127.0.0.1", peer.Port, ProbeSettings.Default, cancelled.Token));
    }

    [Fact]
    public void Type_IsGeneral() => _probe.Type.ShouldBe("general");
}
