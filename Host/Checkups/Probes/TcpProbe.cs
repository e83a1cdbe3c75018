namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>checkups' <c>general</c> heartbeat: the peer is healthy when it accepts a TCP connection.</summary>
internal sealed class TcpProbe : IHealthProbe
{
    private static readonly Task<ProbeResult> Connected = Task.FromResult(ProbeResult.Ok());

    public string Type => ProbeTypes.General;

    public Task<ProbeResult> ProbeAsync(string host, int port, ProbeSettings settings, CancellationToken ct) =>
        ProbeConnection.RunAsync(host, port, settings, static (_, _) => Connected, ct, connectOnly: true);
}
