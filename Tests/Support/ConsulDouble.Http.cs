using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>The HTTP side of the <see cref="ConsulDouble"/>.</summary>
internal sealed partial class ConsulDouble
{
    private const string KvPrefix = "/v1/kv/";
    private const string HealthPrefix = "/v1/health/service/";

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var token = request.Headers["X-Consul-Token"].ToString();
        string? required;
        lock (_lock)
        {
            _lastToken = token.Length == 0 ? null : token;
            required = _requiredToken;
        }

        if (HttpMethods.IsGet(request.Method))
        {
            ulong.TryParse(request.Query["index"], NumberStyles.None, CultureInfo.InvariantCulture, out var asked);
            _getIndexes.Writer.TryWrite(asked);
        }

        if (TryTake(ref _hangNext))
        {
            // Accepted, never answered: only the client giving up ends this.
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        if (TryTake(ref _failNext))
        {
            context.Response.StatusCode = 500;
            await context.Response.WriteAsync("rpc error: No cluster leader");
            return;
        }

        if (required is not null && token != required)
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("Permission denied");
            return;
        }

        var path = request.Path.Value ?? "";
        if (path.StartsWith(KvPrefix, StringComparison.Ordinal))
        {
            var key = path[KvPrefix.Length..];
            if (HttpMethods.IsGet(request.Method))
            {
                await WaitIfBlockingAsync(context);
                await KvGetAsync(context, key);
            }
            else if (HttpMethods.IsPut(request.Method))
            {
                await KvPutAsync(context, key);
            }
            else if (HttpMethods.IsDelete(request.Method))
            {
                await KvDeleteAsync(context, key);
            }
            else
            {
                context.Response.StatusCode = 405;
            }
        }
        else if (path.StartsWith(HealthPrefix, StringComparison.Ordinal) && HttpMethods.IsGet(request.Method))
        {
            await WaitIfBlockingAsync(context);
            await HealthServiceAsync(context, path[HealthPrefix.Length..]);
        }
        else
        {
            context.Response.StatusCode = 404;
        }
    }

    private static bool TryTake(ref int counter)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current - 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>
    /// Consul's blocking: with <c>?index=N</c> (N &gt; 0), hold the request until the index moves
    /// past N or <c>wait</c> (default 5m, at most 10m) runs out; then answer the current state.
    /// </summary>
    private async Task WaitIfBlockingAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if (!ulong.TryParse(query["index"], NumberStyles.None, CultureInfo.InvariantCulture, out var index) || index == 0)
        {
            return;
        }

        Interlocked.Increment(ref _blockingQueries);
        var wait = ParseGoDuration(query["wait"].ToString()) ?? TimeSpan.FromMinutes(5);
        if (wait > TimeSpan.FromMinutes(10))
        {
            wait = TimeSpan.FromMinutes(10);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        timeout.CancelAfter(wait);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                // Like Consul: only an index above the one asked with ends the wait early. After a
                // restart the index is lower, so the query runs to its wait and answers the lower
                // index: the client must notice and reset.
                if (_index > index && !_holdBlocking)
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task KvGetAsync(HttpContext context, string key)
    {
        var query = context.Request.Query;
        byte[]? body;
        ulong index;
        lock (_lock)
        {
            index = _index;
            if (query.ContainsKey("recurse"))
            {
                var entries = _kv.Where(p => p.Key.StartsWith(key, StringComparison.Ordinal)).ToList();
                body = entries.Count == 0 ? null : JsonSerializer.SerializeToUtf8Bytes(entries.Select(p => KvJson(p.Key, p.Value)));
            }
            else if (!_kv.TryGetValue(key, out var entry))
            {
                body = null;
            }
            else if (query.ContainsKey("raw"))
            {
                body = entry.Value;
            }
            else
            {
                body = JsonSerializer.SerializeToUtf8Bytes(new[] { KvJson(key, entry) });
            }
        }

        context.Response.Headers["X-Consul-Index"] = index.ToString(CultureInfo.InvariantCulture);
        if (body is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = query.ContainsKey("raw") ? "application/octet-stream" : "application/json";
        await context.Response.Body.WriteAsync(body);
    }

    private async Task KvPutAsync(HttpContext context, string key)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var cas = ReadCas(context);
        ulong.TryParse(context.Request.Query["flags"], NumberStyles.None, CultureInfo.InvariantCulture, out var flags);
        bool done;
        lock (_lock)
        {
            var exists = _kv.TryGetValue(key, out var existing);

            // cas=0: create only if absent; cas=N: only if the key's ModifyIndex is N.
            done = cas switch
            {
                null => true,
                0 => !exists,
                var n => exists && existing!.ModifyIndex == n,
            };
            if (done)
            {
                var index = BumpLocked();
                _kv[key] = new ConsulDoubleEntry(buffer.ToArray(), exists ? existing!.CreateIndex : index, index, flags);
            }
        }

        await WriteBoolAsync(context, done);
    }

    private async Task KvDeleteAsync(HttpContext context, string key)
    {
        var cas = ReadCas(context);
        var recurse = context.Request.Query.ContainsKey("recurse");
        bool done;
        lock (_lock)
        {
            if (recurse)
            {
                var doomed = _kv.Keys.Where(k => k.StartsWith(key, StringComparison.Ordinal)).ToList();
                doomed.ForEach(k => _kv.Remove(k));
                done = true;
                if (doomed.Count > 0)
                {
                    BumpLocked();
                }
            }
            else
            {
                var exists = _kv.TryGetValue(key, out var existing);

                // Unlike PUT, cas=0 never deletes; a missing key deletes "successfully".
                done = cas switch
                {
                    null => true,
                    0 => false,
                    var n => exists && existing!.ModifyIndex == n,
                };
                if (done && exists)
                {
                    _kv.Remove(key);
                    BumpLocked();
                }
            }
        }

        await WriteBoolAsync(context, done);
    }

    private async Task HealthServiceAsync(HttpContext context, string name)
    {
        var passingOnly = context.Request.Query.ContainsKey("passing");
        byte[] body;
        ulong index;
        lock (_lock)
        {
            index = _index;
            var instances = _instances.Values
                .Where(i => i.Service == name && (!passingOnly || i.Status == "passing"))
                .OrderBy(i => i.Id, StringComparer.Ordinal)
                .Select(i => new
                {
                    Node = new { Node = i.Node, Address = i.NodeAddress },
                    Service = new
                    {
                        ID = i.Id,
                        Service = i.Service,
                        Address = i.ServiceAddress,
                        Port = i.Port,
                        Meta = i.Meta,
                        Weights = new { Passing = i.PassingWeight, Warning = i.WarningWeight },
                    },
                    Checks = new[]
                    {
                        new { Node = i.Node, CheckID = "service:" + i.Id, Status = i.Status, ServiceID = i.Id, ServiceName = i.Service },
                    },
                });
            body = JsonSerializer.SerializeToUtf8Bytes(instances);
        }

        context.Response.Headers["X-Consul-Index"] = index.ToString(CultureInfo.InvariantCulture);
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(body);
    }

    private static object KvJson(string key, ConsulDoubleEntry entry) => new
    {
        LockIndex = 0,
        Key = key,
        Flags = entry.Flags,
        Value = entry.Value.Length == 0 ? null : Convert.ToBase64String(entry.Value),
        CreateIndex = entry.CreateIndex,
        ModifyIndex = entry.ModifyIndex,
    };

    private static ulong? ReadCas(HttpContext context) =>
        ulong.TryParse(context.Request.Query["cas"], NumberStyles.None, CultureInfo.InvariantCulture, out var cas) ? cas : null;

    private static Task WriteBoolAsync(HttpContext context, bool value)
    {
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(value ? "true" : "false", Encoding.UTF8);
    }

    /// <summary>The Go duration forms Consul's <c>wait</c> takes: a number with ms, s, m or h.</summary>
    private static TimeSpan? ParseGoDuration(string text)
    {
        (string Suffix, double Ms)[] units = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)];
        foreach (var (suffix, ms) in units)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount))
            {
                return TimeSpan.FromMilliseconds(amount * ms);
            }
        }

        return null;
    }
}
