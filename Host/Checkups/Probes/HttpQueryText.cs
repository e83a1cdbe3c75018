using System.Text;

namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>Turns <c>http_opts.query</c> into the bytes the http probe sends.</summary>
internal static class HttpQueryText
{
    /// <summary>
    /// Encodes the query as UTF-8, first turning lone LFs in the request head into CR LF.
    /// </summary>
    /// <remarks>
    /// checkups sent the query verbatim. Hand-written configs often use "\n", which lenient servers
    /// accept and strict ones reject (RFC 9112 leaves bare LF to the recipient), so the probe would
    /// fail a healthy peer. In the head a lone LF can only mean a line end, so rewriting it changes
    /// nothing for servers that accepted it. Everything after the blank line ending the head (a
    /// request body) is sent untouched, because there the bytes are data.
    /// </remarks>
    public static byte[] Encode(string query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = new StringBuilder(query.Length + 8);
        var lineStart = 0;
        var sawRequestLine = false;
        for (var i = 0; i < query.Length; i++)
        {
            if (query[i] != '\n')
            {
                continue;
            }

            var contentEnd = i > lineStart && query[i - 1] == '\r' ? i - 1 : i;
            var blank = contentEnd == lineStart;
            text.Append(query, lineStart, contentEnd - lineStart).Append("\r\n");
            lineStart = i + 1;

            // Blank lines before the request line are tolerated noise (RFC 9112 §2.2), not the head's end.
            if (blank && sawRequestLine)
            {
                break;
            }

            sawRequestLine |= !blank;
        }

        text.Append(query, lineStart, query.Length - lineStart);
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
