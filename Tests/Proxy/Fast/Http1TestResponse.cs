using System.Globalization;
using System.Text;

namespace Slardar.Scriptable.Tests.Proxy.Fast;

/// <summary>A well-formed response as bytes, with the status and body a reader must find in it.</summary>
internal sealed record Http1TestResponse(byte[] Bytes, int Status, string Body)
{
    /// <param name="splits">Chunk sizes to cut the body into (repeated), when chunked.</param>
    public static Http1TestResponse Create(string body, int status, bool chunked, int[] splits, bool extensions, bool interim)
    {
        if (status is 204 or 304)
        {
            body = string.Empty;
        }

        var text = new StringBuilder();
        if (interim)
        {
            text.Append("HTTP/1.1 100 Continue\r\n\r\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {status} Reason\r\nServer: test\r\n");
        if (status is 204 or 304)
        {
            text.Append("\r\n");
        }
        else if (chunked)
        {
            text.Append("Transfer-Encoding: chunked\r\n\r\n");
            var at = 0;
            for (var i = 0; at < body.Length; i++)
            {
                var size = Math.Min(splits[i % splits.Length], body.Length - at);
                text.Append(CultureInfo.InvariantCulture, $"{size:x}{(extensions ? ";n=\"v\"" : string.Empty)}\r\n{body.AsSpan(at, size)}\r\n");
                at += size;
            }

            text.Append(extensions ? "0\r\nX-Trailer: t\r\n\r\n" : "0\r\n\r\n");
        }
        else
        {
            text.Append(CultureInfo.InvariantCulture, $"Content-Length: {body.Length}\r\n\r\n{body}");
        }

        return new Http1TestResponse(Encoding.Latin1.GetBytes(text.ToString()), status, body);
    }

    /// <summary>Applies edits (0 replace, 1 insert, 2 delete; at a position modulo the length; with a byte).</summary>
    public static byte[] Mutate(byte[] bytes, (int Kind, int Position, byte Value)[] edits)
    {
        var list = bytes.ToList();
        foreach (var (kind, position, value) in edits)
        {
            if (list.Count == 0)
            {
                list.Add(value);
                continue;
            }

            var at = position % list.Count;
            switch (kind)
            {
                case 0:
                    list[at] = value;
                    break;
                case 1:
                    list.Insert(at, value);
                    break;
                default:
                    list.RemoveAt(at);
                    break;
            }
        }

        return [.. list];
    }
}
