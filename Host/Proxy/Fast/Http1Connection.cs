using System.IO.Pipelines;
using System.Net.Sockets;

namespace Slardar.Scriptable.Host.Proxy.Fast;

/// <summary>
/// One keep-alive TCP connection to a peer, read through a <see cref="PipeReader"/> (pooled buffers,
/// the response parser works on its sequences) and written through a <see cref="PipeWriter"/>. Used
/// by one request at a time; <see cref="Abort"/> may come from another thread (the client went away).
/// </summary>
internal sealed class Http1Connection : IDisposable
{
    private static readonly Exception Discarded = new IOException("connection discarded");

    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private int _aborted;

    public Http1Connection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
        Reader = PipeReader.Create(_stream, new StreamPipeReaderOptions(bufferSize: 16 * 1024, minimumReadSize: 4096, leaveOpen: true));
        Writer = PipeWriter.Create(_stream, new StreamPipeWriterOptions(minimumBufferSize: 16 * 1024, leaveOpen: true));
    }

    public PipeReader Reader { get; }

    public PipeWriter Writer { get; }

    /// <summary>Came from the idle pool: a failure before any response byte may just mean the peer closed it meanwhile.</summary>
    public bool Reused { get; set; }

    /// <summary>When it went back to the pool (the pool clock's timestamp).</summary>
    public long IdleSince { get; set; }

    /// <summary>
    /// An idle HTTP/1.1 connection has nothing to read: readable means the peer closed it, reset it,
    /// or sent bytes no request asked for. Either way it cannot carry a request.
    /// </summary>
    public bool LooksClosed()
    {
        try
        {
            return Volatile.Read(ref _aborted) != 0 || _socket.Poll(0, SelectMode.SelectRead);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            return true;
        }
    }

    /// <summary>Fails any pending read or write at once; safe from any thread, more than once.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0)
        {
            return;
        }

        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // Already gone.
        }

        _socket.Dispose();
    }

    public void Dispose()
    {
        Abort();
        Reader.Complete();
        Writer.Complete(Discarded);
        _stream.Dispose();
    }
}
