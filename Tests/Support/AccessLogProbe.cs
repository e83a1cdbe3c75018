using System.Threading.Channels;
using Slardar.Scriptable.Host.Observability;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>Collects access-log entries as the gateway writes them.</summary>
internal sealed class AccessLogProbe : IDisposable
{
    private readonly AccessLogWriter _writer;
    private readonly Channel<AccessLogEntry> _entries = Channel.CreateUnbounded<AccessLogEntry>();

    public AccessLogProbe(AccessLogWriter writer)
    {
        _writer = writer;
        _writer.Written += OnWritten;
    }

    /// <summary>The next entry, waiting at most 10 s for the background writer.</summary>
    public async Task<AccessLogEntry> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await _entries.Reader.ReadAsync(timeout.Token);
    }

    public void Dispose() => _writer.Written -= OnWritten;

    private void OnWritten(AccessLogEntry entry) => _entries.Writer.TryWrite(entry);
}
