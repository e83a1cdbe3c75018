using System.Net.Sockets;

namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>
/// Short, stable texts for socket errors, in the style of the nginx messages checkups reported
/// ("connection refused"), so /status does not show platform-specific exception text.
/// </summary>
internal static class SocketErrorText
{
    public static string Describe(SocketException exception) => exception.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.TimedOut => "timeout",
        SocketError.HostUnreachable => "no route to host",
        SocketError.NetworkUnreachable or SocketError.NetworkDown => "network is unreachable",
        SocketError.ConnectionReset => "connection reset by peer",
        SocketError.ConnectionAborted or SocketError.Shutdown or SocketError.NotConnected => "connection closed",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "host not found",
        _ => exception.Message,
    };
}
