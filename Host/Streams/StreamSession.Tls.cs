using System.Net.Security;
using System.Net.Sockets;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>The copy both ways when the gateway originates TLS to the peer (its upstream has <c>"scheme": "https"</c>).</summary>
internal sealed partial class StreamSession
{
    // The peer's side is an SslStream, so both directions go through streams (the client's is a
    // NetworkStream over its socket). Simpler than the socket loop: a direction waits for bytes with
    // a zero-byte read, then rents one buffer and gives it back after each write. The client's FIN is
    // passed on as close_notify and a FIN; the peer's close_notify or FIN as a FIN to the client.
    private async Task<StreamEndReason> RelayTlsAsync(Socket upstream, SslStream tls, ReadOnlyMemory<byte> preread, StreamSessionClock clock, int bufferSize)
    {
        await using var client = new NetworkStream(_client, ownsSocket: false);
        if (!preread.IsEmpty)
        {
            await tls.WriteAsync(preread, _abort.Token).ConfigureAwait(false);
            Count(preread.Length, upward: true);
            clock.Touch();
        }

        var up = CopyStreamAsync(client, tls, () => CloseTlsAsync(tls, upstream), bufferSize, clock, upward: true);
        var down = CopyStreamAsync(tls, client, ShutdownClient, bufferSize, clock, upward: false);
        return EndOf(await up.ConfigureAwait(false) & await down.ConfigureAwait(false));
    }

    // As CopyAsync: true when the source ended cleanly and its end was passed on; a failure aborts the session.
    private async Task<bool> CopyStreamAsync(Stream from, Stream to, Func<ValueTask> passEndOn, int bufferSize, StreamSessionClock clock, bool upward)
    {
        byte[]? buffer = null;
        try
        {
            while (true)
            {
                // Without a buffer until bytes (or the end) are there: an idle session holds none.
                await from.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
                buffer = Rent(bufferSize);
                var read = await from.ReadAsync(buffer.AsMemory(0, bufferSize)).ConfigureAwait(false);
                if (read == 0)
                {
                    await passEndOn().ConfigureAwait(false);
                    return true;
                }

                clock.Touch();
                try
                {
                    await to.WriteAsync(buffer.AsMemory(0, read)).ConfigureAwait(false);
                }
                catch
                {
                    Abort(StreamEndReason.Error);
                    throw;
                }

                Count(read, upward);

                GiveBack(ref buffer, bufferSize);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            Abort(StreamEndReason.Error);
            return false;
        }
        finally
        {
            GiveBack(ref buffer, bufferSize);
        }
    }

    private static async ValueTask CloseTlsAsync(SslStream tls, Socket upstream)
    {
        await tls.ShutdownAsync().ConfigureAwait(false);
        upstream.Shutdown(SocketShutdown.Send);
    }

    private ValueTask ShutdownClient()
    {
        _client.Shutdown(SocketShutdown.Send);
        return ValueTask.CompletedTask;
    }
}
