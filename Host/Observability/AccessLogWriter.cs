using System.Threading.Channels;

namespace Slardar.Scriptable.Host.Observability;

/// <summary>
/// Writes one structured event per request off the request thread: requests enqueue into a bounded
/// channel and one background loop hands events to Serilog. When the log falls behind, the oldest
/// entries are dropped and counted rather than slowing requests down.
/// </summary>
internal sealed partial class AccessLogWriter : IAsyncDisposable
{
    private const int Capacity = 16 * 1024;

    private readonly Channel<AccessLogEntry> _queue;
    private readonly ILogger _logger;
    private readonly Task _pump;
    private long _dropped;

    public AccessLogWriter(bool enabled, ILoggerFactory loggerFactory)
    {
        Enabled = enabled;
        _logger = loggerFactory.CreateLogger("Slardar.AccessLog");
        _queue = Channel.CreateBounded<AccessLogEntry>(new BoundedChannelOptions(Capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = false,
        }, _ => Interlocked.Increment(ref _dropped));
        _pump = enabled ? Task.Run(PumpAsync) : Task.CompletedTask;
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
        await foreach (var entry in _queue.Reader.ReadAllAsync())
        {
            Log.Request(_logger, entry.RemoteAddr, entry.Host, entry.Method, entry.Uri, entry.Status, entry.UpstreamName,
                entry.UpstreamAddr, entry.UpstreamStatus, entry.UpstreamResponseTime, entry.UpstreamTime, entry.RequestTime,
                entry.Tries, entry.XErrorCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "-", entry.UserAgent, entry.Referer);
            Written?.Invoke(entry);
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
    }
}
