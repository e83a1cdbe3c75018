using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// A small client for the parts of Consul's HTTP API v1 the gateway needs: KV (get, recursive list,
/// put and delete with check-and-set), blocking queries, and <c>health/service</c>.
/// <para>
/// Failover: addresses are tried in order starting from the one that last answered, and the client
/// sticks to whichever answers. A connection failure, a timeout or a 5xx moves on to the next
/// address; any other answer (including 403 or 404) is the agent's real answer and is not retried
/// elsewhere, since another agent of the same cluster would say the same.
/// </para>
/// </summary>
internal sealed partial class ConsulClient : IDisposable
{
    private readonly ConsulOptions _options;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private int _current;

    public ConsulClient(ConsulOptions options, TimeProvider time, ILogger<ConsulClient> logger)
        : this(options, time, logger, CreateHandler(options))
    {
    }

    /// <summary>With a caller-made handler (the client owns and disposes it).</summary>
    public ConsulClient(ConsulOptions options, TimeProvider time, ILogger<ConsulClient> logger, HttpMessageHandler handler)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Addresses.Count == 0)
        {
            throw new ArgumentException("Consul needs at least one agent address.", nameof(options));
        }

        _options = options;
        _time = time;
        _logger = logger;

        // Timeouts are per request (blocking queries need longer ones), so the client-wide one is off.
        _http = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <summary>The agent requests go to first: the one that answered last.</summary>
    public Uri CurrentAddress => _options.Addresses[Volatile.Read(ref _current)];

    /// <summary>One key, or null when Consul has none (a 404).</summary>
    public async Task<ConsulKvEntry?> GetAsync(string key, CancellationToken cancellationToken)
    {
        var answer = await SendAsync(HttpMethod.Get, ConsulPaths.Kv(key), null, _options.RequestTimeout, cancellationToken);
        if (answer.Status == HttpStatusCode.NotFound)
        {
            return null;
        }

        var entries = ReadKv(EnsureOk(answer));
        return entries.Count == 0 ? null : entries[0];
    }

    /// <summary>Every key under <paramref name="prefix"/> (<c>?recurse</c>), at once; a 404 is an empty list.</summary>
    public Task<ConsulResult<IReadOnlyList<ConsulKvEntry>>> ListAsync(string prefix, CancellationToken cancellationToken) =>
        WatchAsync(prefix, 0, TimeSpan.Zero, cancellationToken);

    /// <summary>
    /// A blocking recursive read: waits up to <paramref name="wait"/> for a change after
    /// <paramref name="index"/> (index 0 answers at once). Returning is no proof of a change: the
    /// wait may have run out, and the index may be the same.
    /// </summary>
    public async Task<ConsulResult<IReadOnlyList<ConsulKvEntry>>> WatchAsync(string prefix, ulong index, TimeSpan wait, CancellationToken cancellationToken)
    {
        var path = ConsulPaths.WithQuery(ConsulPaths.Kv(prefix), "recurse=true", ConsulPaths.Blocking(index, wait));
        var answer = await SendAsync(HttpMethod.Get, path, null, TimeoutFor(index, wait), cancellationToken);
        if (answer.Status == HttpStatusCode.NotFound)
        {
            return new([], answer.Index);
        }

        return new(ReadKv(EnsureOk(answer)), answer.Index);
    }

    /// <summary>
    /// Writes a key. With <paramref name="cas"/>, only if the key's ModifyIndex equals it (0: only if
    /// the key does not exist yet). False when Consul refused the check-and-set.
    /// </summary>
    public async Task<bool> PutAsync(string key, ReadOnlyMemory<byte> value, ulong? cas, CancellationToken cancellationToken)
    {
        var path = ConsulPaths.WithQuery(ConsulPaths.Kv(key), Cas(cas));
        var answer = await SendAsync(HttpMethod.Put, path, value.ToArray(), _options.RequestTimeout, cancellationToken);
        return ReadBool(EnsureOk(answer));
    }

    public Task<bool> PutAsync(string key, string value, ulong? cas, CancellationToken cancellationToken) =>
        PutAsync(key, Encoding.UTF8.GetBytes(value), cas, cancellationToken);

    /// <summary>
    /// Deletes a key (deleting a missing key succeeds). With <paramref name="cas"/>, only if its
    /// ModifyIndex equals it; Consul never deletes for <c>cas=0</c>.
    /// </summary>
    public async Task<bool> DeleteAsync(string key, ulong? cas, CancellationToken cancellationToken)
    {
        var path = ConsulPaths.WithQuery(ConsulPaths.Kv(key), Cas(cas));
        var answer = await SendAsync(HttpMethod.Delete, path, null, _options.RequestTimeout, cancellationToken);
        return ReadBool(EnsureOk(answer));
    }

    /// <summary>
    /// The instances of a service with their health (<c>/v1/health/service/&lt;name&gt;</c>),
    /// only those whose every check passes when <paramref name="passingOnly"/>. Blocks like
    /// <see cref="WatchAsync"/> when <paramref name="index"/> is not 0.
    /// </summary>
    public async Task<ConsulResult<IReadOnlyList<ConsulServiceInstance>>> HealthServiceAsync(
        string name, bool passingOnly, ulong index, TimeSpan wait, CancellationToken cancellationToken)
    {
        var path = ConsulPaths.WithQuery(ConsulPaths.HealthService(name), passingOnly ? "passing=true" : "", ConsulPaths.Blocking(index, wait));
        var answer = EnsureOk(await SendAsync(HttpMethod.Get, path, null, TimeoutFor(index, wait), cancellationToken));
        try
        {
            return new(ConsulJson.ReadHealthEntries(answer.Body), answer.Index);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw Malformed(answer, e);
        }
    }

    public void Dispose() => _http.Dispose();

    private static SocketsHttpHandler CreateHandler(ConsulOptions options) => new()
    {
        // Consul agents are local or in the same network: a machine-wide proxy must not apply.
        UseProxy = false,
        ConnectTimeout = options.RequestTimeout,

        // Agents behind DNS may move; do not pin a connection forever.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    private static string Cas(ulong? cas) =>
        cas is { } value ? "cas=" + value.ToString(CultureInfo.InvariantCulture) : "";

    /// <summary>Consul answers up to wait + wait/16 late (its jitter); allow that plus the usual margin.</summary>
    private TimeSpan TimeoutFor(ulong index, TimeSpan wait)
    {
        if (index == 0 || wait <= TimeSpan.Zero)
        {
            return _options.RequestTimeout;
        }

        var capped = wait > ConsulOptions.MaxBlockingWait ? ConsulOptions.MaxBlockingWait : wait;
        return capped + (capped / 16) + _options.RequestTimeout;
    }

    private static ConsulAnswer EnsureOk(ConsulAnswer answer)
    {
        if (answer.Status == HttpStatusCode.OK)
        {
            return answer;
        }

        var text = Encoding.UTF8.GetString(answer.Body).Trim();
        var hint = answer.Status == HttpStatusCode.Forbidden ? " (ACL: check Consul:Token)" : "";
        throw new ConsulException(
            $"Consul at {answer.Address} answered {(int)answer.Status} {answer.Status}{hint}: {text}", answer.Address, answer.Status);
    }

    private static IReadOnlyList<ConsulKvEntry> ReadKv(ConsulAnswer answer)
    {
        try
        {
            return ConsulJson.ReadKvEntries(answer.Body);
        }
        catch (Exception e) when (e is JsonException or FormatException)
        {
            throw Malformed(answer, e);
        }
    }

    private static bool ReadBool(ConsulAnswer answer) =>
        Encoding.UTF8.GetString(answer.Body).Trim() switch
        {
            "true" => true,
            "false" => false,
            var other => throw new ConsulException($"Consul at {answer.Address} answered '{other}' where true or false was expected", answer.Address, answer.Status),
        };

    private static ConsulException Malformed(ConsulAnswer answer, Exception e) =>
        new($"Consul at {answer.Address} answered malformed JSON: {e.Message}", answer.Address, answer.Status, e);

    private async Task<ConsulAnswer> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var addresses = _options.Addresses;
        var first = Volatile.Read(ref _current);
        ConsulException? last = null;
        for (var attempt = 0; attempt < addresses.Count; attempt++)
        {
            var slot = (first + attempt) % addresses.Count;
            var address = addresses[slot];
            try
            {
                var answer = await SendOnceAsync(address, method, pathAndQuery, body, timeout, cancellationToken);
                if ((int)answer.Status >= 500)
                {
                    last = new ConsulException(
                        $"Consul at {address} answered {(int)answer.Status} {answer.Status}: {Encoding.UTF8.GetString(answer.Body).Trim()}", address, answer.Status);
                    Log.AgentFailed(_logger, address, last.Message);
                    continue;
                }

                if (slot != first && Interlocked.CompareExchange(ref _current, slot, first) == first)
                {
                    Log.SwitchedAgent(_logger, addresses[first], address);
                }

                return answer;
            }
            catch (OperationCanceledException e) when (!cancellationToken.IsCancellationRequested)
            {
                last = new ConsulException($"Consul at {address} did not answer within {timeout}", address, null, e);
                Log.AgentFailed(_logger, address, last.Message);
            }
            catch (HttpRequestException e)
            {
                last = new ConsulException($"Consul at {address} is unreachable: {e.Message}", address, null, e);
                Log.AgentFailed(_logger, address, last.Message);
            }
        }

        throw addresses.Count == 1
            ? last!
            : new ConsulException($"No Consul agent answered ({addresses.Count} tried); last: {last!.Message}", last.Address, last.Status, last);
    }

    private async Task<ConsulAnswer> SendOnceAsync(
        Uri address, HttpMethod method, string pathAndQuery, byte[]? body, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var timeoutSource = new CancellationTokenSource(timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutSource.Token);
        using var request = new HttpRequestMessage(method, new Uri(address, pathAndQuery));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
        }

        if (!string.IsNullOrEmpty(_options.Token))
        {
            request.Headers.TryAddWithoutValidation("X-Consul-Token", _options.Token);
        }

        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, linked.Token);
        var bytes = await response.Content.ReadAsByteArrayAsync(linked.Token);
        return new ConsulAnswer(address, response.StatusCode, bytes, ReadIndex(response));
    }

    /// <summary>The <c>X-Consul-Index</c> header; 0 when absent or unreadable (a watch then resets).</summary>
    private static ulong ReadIndex(HttpResponseMessage response) =>
        response.Headers.TryGetValues("X-Consul-Index", out var values)
        && ulong.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? index
            : 0;

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Consul agent {Address} failed: {Reason}")]
        public static partial void AgentFailed(ILogger logger, Uri address, string reason);

        [LoggerMessage(2, LogLevel.Information, "Consul: switched from agent {From} to {To}")]
        public static partial void SwitchedAgent(ILogger logger, Uri from, Uri to);
    }
}
