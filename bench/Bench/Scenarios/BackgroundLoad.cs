using System.Diagnostics;

namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>
/// A closed-loop HTTP load from the harness itself (GETs on a few keep-alive connections), recording
/// every answer: for scenarios that must count each failed request, which wrk only summarises.
/// </summary>
internal sealed class BackgroundLoad : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _workers;
    private readonly HttpClient _client;
    private long _ok;
    private long _failed;

    public BackgroundLoad(string url, string host, int concurrency, TimeSpan pause)
    {
        _client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { Timeout = TimeSpan.FromSeconds(30) };
        _workers = Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => RunAsync(url, host, pause))).ToArray();
    }

    public long Ok => Interlocked.Read(ref _ok);

    public long Failed => Interlocked.Read(ref _failed);

    /// <summary>Failures with their time since start and reason, for the report.</summary>
    public List<string> FailureSamples { get; } = [];

    private readonly long _started = Stopwatch.GetTimestamp();

    private async Task RunAsync(string url, string host, TimeSpan pause)
    {
        while (!_stop.IsCancellationRequested)
        {
            string? failure = null;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Host = host;
                using var response = await _client.SendAsync(request, _stop.Token);
                await response.Content.ReadAsByteArrayAsync(_stop.Token);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _ok);
                }
                else
                {
                    failure = $"status {(int)response.StatusCode} {(response.Headers.TryGetValues("X-Error-Code", out var code) ? string.Join(',', code) : string.Empty)}";
                }
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException ex)
            {
                failure = ex.Message;
            }

            if (failure is not null)
            {
                Interlocked.Increment(ref _failed);
                lock (FailureSamples)
                {
                    if (FailureSamples.Count < 10)
                    {
                        FailureSamples.Add($"{Stopwatch.GetElapsedTime(_started).TotalSeconds:F1}s: {failure}");
                    }
                }
            }

            if (pause > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(pause, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_workers);
        _client.Dispose();
        _stop.Dispose();
    }
}
