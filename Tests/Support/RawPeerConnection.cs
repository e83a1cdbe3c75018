using System.Net.Sockets;
using System.Text;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>One connection of a <see cref="RawPeer"/>: read a request head (and its Content-Length body), send bytes.</summary>
internal sealed class RawPeerConnection : IDisposable
{
    private readonly Socket _socket;
    private readonly List<byte> _pending = [];

    public RawPeerConnection(Socket socket, int index)
    {
        _socket = socket;
        Index = index;
    }

    /// <summary>1 for the peer's first connection.</summary>
    public int Index { get; }

    /// <summary>The next request's head and body as text; null when the gateway closed the connection.</summary>
    public async Task<string?> ReadRequestAsync()
    {
        var buffer = new byte[8192];
        while (true)
        {
            var text = Encoding.Latin1.GetString([.. _pending]);
            var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = 0;
                foreach (var line in text[..end].Split("\r\n"))
                {
                    if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    {
                        length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
                    }
                }

                if (_pending.Count >= end + 4 + length)
                {
                    var request = text[..(end + 4 + length)];
                    _pending.RemoveRange(0, end + 4 + length);
                    return request;
                }
            }

            var read = await _socket.ReceiveAsync(buffer);
            if (read == 0)
            {
                return null;
            }

            _pending.AddRange(buffer.AsSpan(0, read));
        }
    }

    public Task SendAsync(string text) => SendAsync(Encoding.Latin1.GetBytes(text));

    public async Task SendAsync(byte[] bytes) => await _socket.SendAsync(bytes);

    /// <summary>Closes with a reset instead of a FIN.</summary>
    public void Reset()
    {
        _socket.LingerState = new LingerOption(true, 0);
        _socket.Close();
    }

    public void Dispose() => _socket.Dispose();
}
