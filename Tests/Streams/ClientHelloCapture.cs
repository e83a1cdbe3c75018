using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using Slardar.Scriptable.Host.Streams;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>The real first bytes of a TLS client (.NET's SslStream): what a preread sees.</summary>
internal static class ClientHelloCapture
{
    public static async Task<byte[]> CaptureAsync(string? targetHost)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var server = await listener.AcceptAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));

        var ssl = new SslStream(new NetworkStream(client, ownsSocket: false));
        var handshake = ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            // The capture never answers, so no certificate is ever checked; refuse any that came.
            RemoteCertificateValidationCallback = (_, _, _, _) => false,
        }, timeout.Token);

        var buffer = new byte[64 * 1024];
        var length = 0;
        while (ClientHelloReader.TryRead(buffer.AsSpan(0, length), out _) == ClientHelloParse.NeedMore)
        {
            var read = await server.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        server.Close();
        try
        {
            await handshake;
        }
        catch (Exception ex) when (ex is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            // The capture closes the connection before answering: the client's handshake fails, as intended.
        }

        await ssl.DisposeAsync();
        return buffer[..length];
    }
}
