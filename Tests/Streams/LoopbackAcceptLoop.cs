using System.Net.Sockets;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>The stream tests' peers' accept loop: every accepted socket goes to its handler until the token stops it or the listener is disposed.</summary>
internal static class LoopbackAcceptLoop
{
    public static async Task RunAsync(Socket listener, Func<Socket, Task> serve, CancellationToken stop, Action? accepted = null)
    {
        while (true)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stop);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            accepted?.Invoke();
            _ = serve(client);
        }
    }
}
