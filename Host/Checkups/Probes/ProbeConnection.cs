using System.Net;
using System.Net.Sockets;

namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>
/// The part every probe shares: connect, run the exchange, and turn whatever the peer did wrong into
/// an Err result, all under one deadline of <see cref="ProbeSettings.Timeout"/>.
/// </summary>
internal static class ProbeConnection
{
    public const string TimeoutMessage = "timeout";

    /// <param name="exchange">Talks to the connected peer; given a token that fires at the deadline.</param>
    public static async Task<ProbeResult> RunAsync(
        string host,
        int port,
        ProbeSettings settings,
        Func<Socket, CancellationToken, Task<ProbeResult>> exchange,
        CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(exchange);

        // One budget for connect and I/O together, like checkups' single sock:settimeout per heartbeat,
        // so a peer that trickles bytes cannot stretch a check past the timeout.
        using var timer = new CancellationTokenSource(settings.Timeout, settings.Time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);

        // Dual-mode when the OS has IPv6, so IPv4 and IPv6 literals and names resolving to either work.
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(EndPointFor(host, port), deadline.Token);
            return await exchange(socket, deadline.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ProbeFailureException)
        {
            // The caller giving up is not the peer's fault: report it as cancellation, not as Err.
            ct.ThrowIfCancellationRequested();

            // Checked before the exception type: a socket torn down by the deadline may surface as an
            // aborted operation rather than as a cancellation.
            if (deadline.IsCancellationRequested)
            {
                return ProbeResult.Err(TimeoutMessage);
            }

            return ProbeResult.Err(ex is SocketException socketError ? SocketErrorText.Describe(socketError) : ex.Message);
        }
    }

    private static EndPoint EndPointFor(string host, int port) =>
        IPAddress.TryParse(host, out var address) ? new IPEndPoint(address, port) : new DnsEndPoint(host, port);
}
