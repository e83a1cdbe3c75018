using System.Buffers.Text;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>
/// Just enough RESP2 for a health check: send a command, read a non-array reply. Written here rather
/// than taken from a redis client package because a probe needs three commands and strict limits on
/// what a broken peer can make it read.
/// </summary>
internal sealed class RespClient
{
    public const string InvalidReplyMessage = "invalid redis reply";

    private const int MaxLineLength = 64 * 1024;

    // INFO is a few kilobytes; a megabyte is far beyond any real answer to what the probe asks.
    private const int MaxBulkLength = 1024 * 1024;

    private readonly Stream _stream;
    private readonly ProbeReader _reader;

    public RespClient(Stream stream)
    {
        _stream = stream;
        _reader = new ProbeReader(stream);
    }

    /// <summary>Sends <paramref name="command"/> as an array of bulk strings and reads the reply.</summary>
    /// <exception cref="ProbeFailureException">The reply is not valid RESP, or the peer closed.</exception>
    public async Task<RespReply> CallAsync(IReadOnlyList<string> command, CancellationToken ct)
    {
        await _stream.WriteAsync(Encode(command), ct);
        return await ReadReplyAsync(ct);
    }

    internal static byte[] Encode(IReadOnlyList<string> command)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"*{command.Count}\r\n");
        foreach (var argument in command)
        {
            text.Append(CultureInfo.InvariantCulture, $"${Encoding.UTF8.GetByteCount(argument)}\r\n{argument}\r\n");
        }

        return Encoding.UTF8.GetBytes(text.ToString());
    }

    private async Task<RespReply> ReadReplyAsync(CancellationToken ct)
    {
        var line = await _reader.ReadLineAsync(MaxLineLength, InvalidReplyMessage, ct);
        if (line.IsEmpty)
        {
            throw new ProbeFailureException(InvalidReplyMessage);
        }

        var text = Encoding.UTF8.GetString(line.Span[1..]);
        switch (line.Span[0])
        {
            case (byte)'+':
                return new RespReply(RespReplyKind.SimpleString, text);
            case (byte)'-':
                return new RespReply(RespReplyKind.Error, text);
            case (byte)':':
                return new RespReply(RespReplyKind.Integer, text);
            case (byte)'$':
                if (!Utf8Parser.TryParse(line.Span[1..], out int length, out var consumed) || consumed != line.Length - 1
                    || length < -1 || length > MaxBulkLength)
                {
                    throw new ProbeFailureException(InvalidReplyMessage);
                }

                if (length == -1)
                {
                    return new RespReply(RespReplyKind.Null, null);
                }

                var bulk = await _reader.ReadExactAsync(length + 2, ct);
                if (!bulk.Span.EndsWith("\r\n"u8))
                {
                    throw new ProbeFailureException(InvalidReplyMessage);
                }

                return new RespReply(RespReplyKind.BulkString, Encoding.UTF8.GetString(bulk.Span[..^2]));
            default:
                throw new ProbeFailureException(InvalidReplyMessage);
        }
    }
}
