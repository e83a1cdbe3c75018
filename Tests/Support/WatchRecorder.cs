using System.Threading.Channels;
using Slardar.Scriptable.Host.Consul;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>Collects what a <see cref="ConsulWatch{T}"/> reports, for bounded waits in tests.</summary>
internal sealed class WatchRecorder<T>
{
    private readonly Channel<ConsulResult<T>> _results = Channel.CreateUnbounded<ConsulResult<T>>();

    private int _count;

    /// <summary>Results reported so far.</summary>
    public int Count => Volatile.Read(ref _count);

    public Task OnChangeAsync(ConsulResult<T> result, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _count);
        _results.Writer.TryWrite(result);
        return Task.CompletedTask;
    }

    /// <summary>The next reported result that satisfies <paramref name="match"/>, or a timeout failure.</summary>
    public async Task<ConsulResult<T>> NextAsync(Func<ConsulResult<T>, bool> match, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var result = await _results.Reader.ReadAsync(deadline.Token);
            if (match(result))
            {
                return result;
            }
        }
    }
}
