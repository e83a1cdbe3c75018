using System.Globalization;
using System.Text;

namespace Slardar.Scriptable.Host.Observability;

/// <summary>
/// The console line of one access-log entry, written straight into the batch buffer: the same text
/// the logger's console template gave (<c>[HH:mm:ss INF] Slardar.AccessLog: ...</c>), without a log
/// event, a message template and a console write per request.
/// </summary>
internal static class AccessLogLine
{
    public static void Append(StringBuilder line, AccessLogEntry entry)
    {
        var culture = CultureInfo.InvariantCulture;
        if (entry.Stream is { } stream)
        {
            AppendStream(line, entry, stream, culture);
            return;
        }

        line.Append('[').Append(entry.Timestamp.ToLocalTime().ToString("HH:mm:ss", culture)).Append(" INF] ")
            .Append(LoggingSetup.AccessLogCategory).Append(": ")
            .Append(entry.RemoteAddr).Append(" \"").Append(entry.Method).Append(' ').Append(entry.Host).Append(entry.Uri).Append("\" ")
            .Append(entry.Status.ToString(culture))
            .Append(" upstream=").Append(entry.UpstreamName)
            .Append(" upstream_addr=\"").Append(entry.UpstreamAddr)
            .Append("\" upstream_status=\"").Append(entry.UpstreamStatus)
            .Append("\" upstream_response_time=\"").Append(entry.UpstreamResponseTime)
            .Append("\" upstream_time=").Append(entry.UpstreamTime.ToString(culture))
            .Append(" request_time=").Append(entry.RequestTime.ToString(culture))
            .Append(" tries=").Append(entry.Tries.ToString(culture))
            .Append(" x_error_code=").Append(entry.XErrorCode is { } code ? code.ToString(culture) : "-")
            .Append(" user_agent=\"").Append(entry.UserAgent)
            .Append("\" referer=\"").Append(entry.Referer).Append('"')
            .Append(Environment.NewLine);
    }

    // nginx stream's fields: $remote_addr $protocol $status $bytes_sent $bytes_received $session_time $upstream_addr ...
    private static void AppendStream(StringBuilder line, AccessLogEntry entry, StreamTraffic stream, CultureInfo culture)
    {
        line.Append('[').Append(entry.Timestamp.ToLocalTime().ToString("HH:mm:ss", culture)).Append(" INF] ")
            .Append(LoggingSetup.AccessLogCategory).Append(": ")
            .Append(entry.RemoteAddr).Append(" \"TCP ").Append(entry.Host).Append("\" ")
            .Append(entry.Status.ToString(culture))
            .Append(" upstream=").Append(entry.UpstreamName)
            .Append(" upstream_addr=\"").Append(entry.UpstreamAddr)
            .Append("\" upstream_connect_time=\"").Append(entry.UpstreamResponseTime)
            .Append("\" bytes_up=").Append(stream.BytesUp.ToString(culture))
            .Append(" bytes_down=").Append(stream.BytesDown.ToString(culture))
            .Append(" session_time=").Append(entry.RequestTime.ToString(culture))
            .Append(" tries=").Append(entry.Tries.ToString(culture))
            .Append(" end=").Append(stream.End)
            .Append(Environment.NewLine);
    }
}
