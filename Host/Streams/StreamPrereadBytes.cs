using System.Buffers;
using System.Net.Sockets;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// The first bytes of a session, read for its preread script and then forwarded to the peer first.
/// The wait ends as soon as the bytes are a whole TLS ClientHello or clearly not one, at
/// <c>preread_bytes</c>, when the client closes its half, or at <c>preread_timeout</c>: the script
/// then runs with what arrived. The buffer is pooled; <see cref="Dispose"/> returns it.
/// </summary>
internal sealed class StreamPrereadBytes : IDisposable
{
    private byte[]? _buffer;

    private StreamPrereadBytes(byte[]? buffer, int length, string? sni)
    {
        _buffer = buffer;
        Length = length;
        Sni = sni;
    }

    public static StreamPrereadBytes None { get; } = new(null, 0, null);

    public int Length { get; }

    public string? Sni { get; }

    public ReadOnlyMemory<byte> Bytes => _buffer is null ? ReadOnlyMemory<byte>.Empty : _buffer.AsMemory(0, Length);

    public static async Task<StreamPrereadBytes> ReadAsync(Socket client, StreamListenerConfig config, TimeProvider time, CancellationToken aborted)
    {
        if (config.PrereadBytes == 0)
        {
            return None;
        }

        var buffer = ArrayPool<byte>.Shared.Rent(config.PrereadBytes);
        var length = 0;
        string? sni = null;
        using var timer = new CancellationTokenSource(config.PrereadTimeout, time);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(aborted, timer.Token);
        try
        {
            while (length < config.PrereadBytes)
            {
                var read = await client.ReceiveAsync(buffer.AsMemory(length, config.PrereadBytes - length), SocketFlags.None, deadline.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
                if (ClientHelloReader.TryRead(buffer.AsSpan(0, length), out sni) != ClientHelloParse.NeedMore)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // The preread timeout, a client reset or an aborted session (which the caller sees on its
            // token and the copy meets again): what arrived is what there is.
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }

        if (sni is null && length > 0)
        {
            ClientHelloReader.TryRead(buffer.AsSpan(0, length), out sni);
        }

        return new StreamPrereadBytes(buffer, length, sni);
    }

    public void Dispose()
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
