namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>
/// Buffered reads of protocol lines and fixed-size blocks from a probe's socket. Every read is bounded
/// by a caller-given limit, so a misbehaving peer costs at most that much memory.
/// </summary>
internal sealed class ProbeReader
{
    public const string ClosedMessage = "connection closed";

    private readonly Stream _stream;
    private byte[] _buffer = new byte[1024];
    private int _start;
    private int _end;
    private bool _receivedAny;

    public ProbeReader(Stream stream)
    {
        _stream = stream;
    }

    /// <summary>Whether the peer has sent at least one byte.</summary>
    public bool ReceivedAny => _receivedAny;

    /// <summary>
    /// Reads up to the next LF and returns the line without its CR LF (or lone LF) terminator.
    /// </summary>
    /// <param name="maxLength">Longest acceptable line, terminator excluded.</param>
    /// <param name="tooLongMessage">Failure message when the peer sends a longer line.</param>
    /// <exception cref="ProbeFailureException">The line is too long, or the peer closed first.</exception>
    public async ValueTask<ReadOnlyMemory<byte>> ReadLineAsync(int maxLength, string tooLongMessage, CancellationToken ct)
    {
        var scanned = 0;
        while (true)
        {
            var newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                var lineEnd = _start + scanned + newline;
                var line = _buffer.AsMemory(_start, lineEnd - _start);
                _start = lineEnd + 1;
                if (line.Span is [.., (byte)'\r'])
                {
                    line = line[..^1];
                }

                return line.Length <= maxLength ? line : throw new ProbeFailureException(tooLongMessage);
            }

            scanned = _end - _start;

            // Room for maxLength bytes plus CR LF; beyond that the line can only be too long.
            if (scanned > maxLength + 1)
            {
                throw new ProbeFailureException(tooLongMessage);
            }

            await FillAsync(maxLength + 2, ct);
        }
    }

    /// <summary>Reads exactly <paramref name="count"/> bytes.</summary>
    /// <exception cref="ProbeFailureException">The peer closed first.</exception>
    public async ValueTask<ReadOnlyMemory<byte>> ReadExactAsync(int count, CancellationToken ct)
    {
        while (_end - _start < count)
        {
            await FillAsync(count, ct);
        }

        var block = _buffer.AsMemory(_start, count);
        _start += count;
        return block;
    }

    /// <summary>Receives at least one more byte, holding at most <paramref name="limit"/> unread bytes.</summary>
    private async ValueTask FillAsync(int limit, CancellationToken ct)
    {
        // Bytes move only here, so memory handed out by a read stays valid until the next read.
        if (_end == _buffer.Length)
        {
            // No room at the end: move the unread bytes to the front, and grow only when they fill the
            // whole buffer, so a probe that reads short lines never allocates for the longest one.
            var unread = _end - _start;
            var target = unread < _buffer.Length ? _buffer : new byte[Math.Min(_buffer.Length * 2, limit)];
            _buffer.AsSpan(_start, unread).CopyTo(target);
            _buffer = target;
            _start = 0;
            _end = unread;
        }

        var received = await _stream.ReadAsync(_buffer.AsMemory(_end), ct);
        if (received == 0)
        {
            throw new ProbeFailureException(ClosedMessage);
        }

        _end += received;
        _receivedAny = true;
    }
}
