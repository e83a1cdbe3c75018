using System.Globalization;
using System.Text;
using System.Threading.Channels;

namespace Slardar.Scriptable.Host.Observability;

/// <summary>
/// Writes the access log off the request thread: requests enqueue into a bounded channel and one
/// background loop drains it in batches, formatting console lines itself (<see cref="AccessLogLine"/>)
/// and writing each batch with one call, and handing events to the logger only when a structured
/// sink wants them (<see cref="AccessLogSinks"/>). A log event and a console write per request cost
/// more CPU than the request's own forwarding did. When the log falls behind, the oldest entries
/// are dropped and counted rather than slowing requests down.
/// </summary>
internal sealed partial class AccessLogWriter : IAsyncDisposable
{
    private const int Capacity = 16 * 1024;

    // Bounds one console write (and the buffer kept for it).
    private const int MaxBatch = 256;

    private readonly Channel<AccessLogEntry> _queue;
    private readonly ILogger _logger;
    private readonly AccessLogSinks _sinks;
    private readonly TextWriter _console;
    private readonly Task _pump;
    private long _dropped;

    /// <param name="console">Where console lines go (standard output unless a test says otherwise).</param>
    public AccessLogWriter(AccessLogSinks sinks, ILoggerFactory loggerFactory, TextWriter? console = null)
    {
        _sinks = sinks;
        _console = console ?? Console.Out;
        Enabled = sinks.Enabled;
        _logger = loggerFactory.CreateLogger(LoggingSetup.AccessLogCategory);
        _queue = Channel.CreateBounded<AccessLogEntry>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        }, _ => Interlocked.Increment(ref _dropped));
        _pump = Enabled ? Task.Run(PumpAsync) : Task.CompletedTask;
    }

    public bool Enabled { get; }

    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Raised on the log thread for every entry written; lets tests and metrics observe the log.</summary>
    public event Action<AccessLogEntry>? Written;

    public void Write(AccessLogEntry entry)
    {
        if (Enabled)
        {
            _queue.Writer.TryWrite(entry);
        }
    }

    private async Task PumpAsync()
    {
        var reader = _queue.Reader;
        var lines = new StringBuilder(MaxBatch * 256);
        while (await reader.WaitToReadAsync())
        {
            lines.Clear();
            var count = 0;
            for (; count < MaxBatch && reader.TryRead(out var entry); count++)
            {
                if (_sinks.ConsoleLines)
                {
                    AccessLogLine.Append(lines, entry);
                }

                if (_sinks.Structured && entry.Stream is { } stream)
                {
                    Log.Session(_logger, entry.RemoteAddr, entry.Host, entry.Status, entry.UpstreamName, entry.UpstreamAddr, entry.UpstreamResponseTime,
                        stream.BytesUp, stream.BytesDown, entry.RequestTime, entry.Tries, stream.End);
                }
                else if (_sinks.Structured)
                {
                    Log.Request(_logger, entry.RemoteAddr, entry.Host, entry.Method, entry.Uri, entry.Status, entry.UpstreamName,
                        entry.UpstreamAddr, entry.UpstreamStatus, entry.UpstreamResponseTime, entry.UpstreamTime, entry.RequestTime,
                        entry.Tries, entry.XErrorCode?.ToString(CultureInfo.InvariantCulture) ?? "-", entry.UserAgent, entry.Referer);
                }

                Written?.Invoke(entry);
            }

            if (lines.Length > 0)
            {
                try
                {
                    // One string and one write per batch: the console writer flushes on every call.
                    _console.Write(lines.ToString());
                }
                catch (IOException)
                {
                    // A closed or broken standard output loses these lines, not the log loop.
                    Interlocked.Add(ref _dropped, count);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _pump;
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information,
            "{remote_addr} \"{method} {host}{uri}\" {status} upstream={upstream} upstream_addr=\"{upstream_addr}\" upstream_status=\"{upstream_status}\" upstream_response_time=\"{upstream_response_time}\" upstream_time={upstream_time} request_time={request_time} tries={tries} x_error_code={x_error_code} user_agent=\"{user_agent}\" referer=\"{referer}\"")]
        public static partial void Request(ILogger logger, string remote_addr, string host, string method, string uri, int status, string upstream,
            string upstream_addr, string upstream_status, string upstream_response_time, double upstream_time, double request_time,
            int tries, string x_error_code, string user_agent, string referer);

        [LoggerMessage(2, LogLevel.Information,
            "{remote_addr} \"TCP {listener}\" {status} upstream={upstream} upstream_addr=\"{upstream_addr}\" upstream_connect_time=\"{upstream_connect_time}\" bytes_up={bytes_up} bytes_down={bytes_down} session_time={session_time} tries={tries} end={end}")]
        public static partial void Session(ILogger logger, string remote_addr, string listener, int status, string upstream, string upstream_addr,
            string upstream_connect_time, long bytes_up, long bytes_down, double session_time, int tries, string end);
    }
}
