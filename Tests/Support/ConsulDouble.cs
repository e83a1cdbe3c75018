using System.Text;
using System.Threading.Channels;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>
/// An in-process stand-in for a Consul agent's HTTP API v1 (no real Consul can run here), on a real
/// Kestrel listener at 127.0.0.1:0. It implements the documented behaviour the gateway relies on:
/// KV GET/PUT/DELETE with base64 <c>Value</c>, CreateIndex/ModifyIndex, <c>?recurse</c>,
/// <c>?raw</c>, <c>?cas=</c>; <c>X-Consul-Index</c> on every KV and health answer (a 404 too);
/// blocking with <c>?index=&amp;wait=</c>; <c>/v1/health/service/&lt;name&gt;</c> with
/// <c>?passing</c>; ACL token checks.
/// <para>
/// It is a double, not Consul. Known simplifications: one raft-style index for everything (every
/// write bumps it and releases every waiting query, which Consul allows: returning is no proof of a
/// change, and real Consul's per-prefix index may be lower); no wait jitter; no sessions, locks,
/// datacenters, consistency modes or transactions; an instance has a single service check.
/// </para>
/// Test controls are C# methods, not HTTP.
/// </summary>
internal sealed partial class ConsulDouble : IAsyncDisposable
{
    private readonly Lock _lock = new();
    private readonly SortedDictionary<string, ConsulDoubleEntry> _kv = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ConsulDoubleInstance> _instances = new(StringComparer.Ordinal);
    private readonly Channel<ulong> _getIndexes = Channel.CreateUnbounded<ulong>();
    private TestBackend _backend = null!;
    private TaskCompletionSource _changed = NewSignal();
    private ulong _index = 10;
    private int _failNext;
    private int _hangNext;
    private int _blockingQueries;
    private bool _holdBlocking;
    private string? _requiredToken;
    private string? _lastToken;

    private ConsulDouble()
    {
    }

    public Uri Address => new($"http://{_backend.Address}/");

    /// <summary>Every HTTP request that reached the double, including failed and hung ones.</summary>
    public int Requests => _backend.Requests;

    /// <summary>Requests that asked to block (carried <c>?index=</c> above 0).</summary>
    public int BlockingQueries => Volatile.Read(ref _blockingQueries);

    /// <summary>
    /// The <c>?index=</c> of every GET in arrival order (0 for a plain read), failed and hung ones
    /// included: lets a test check what a watch asked, and wait for its next request without sleeping.
    /// </summary>
    public ChannelReader<ulong> GetIndexes => _getIndexes.Reader;

    /// <summary>The <c>X-Consul-Token</c> of the last request, if any.</summary>
    public string? LastToken
    {
        get
        {
            lock (_lock)
            {
                return _lastToken;
            }
        }
    }

    public ulong Index
    {
        get
        {
            lock (_lock)
            {
                return _index;
            }
        }
    }

    public static async Task<ConsulDouble> StartAsync()
    {
        var self = new ConsulDouble();
        self._backend = await TestBackend.StartAsync(self.HandleAsync);
        return self;
    }

    /// <summary>Writes a key directly (as another Consul client would).</summary>
    public void Put(string key, string value)
    {
        lock (_lock)
        {
            var index = BumpLocked();
            var created = _kv.TryGetValue(key, out var existing) ? existing.CreateIndex : index;
            _kv[key] = new ConsulDoubleEntry(Encoding.UTF8.GetBytes(value), created, index, 0);
        }
    }

    /// <summary>Deletes a key directly (as another Consul client would); a missing key is fine.</summary>
    public void Delete(string key)
    {
        lock (_lock)
        {
            if (_kv.Remove(key))
            {
                BumpLocked();
            }
        }
    }

    /// <summary>A key's value as UTF-8, or null when there is none.</summary>
    public string? Get(string key)
    {
        lock (_lock)
        {
            return _kv.TryGetValue(key, out var entry) ? Encoding.UTF8.GetString(entry.Value) : null;
        }
    }

    /// <summary>
    /// Blocking queries stop being woken by changes (they still end at their wait), as a watcher that
    /// has not been told yet: lets a test change a key behind a gateway's back. Plain reads and
    /// writes are unaffected. <see cref="ReleaseWatches"/> undoes it.
    /// </summary>
    public void HoldWatches()
    {
        lock (_lock)
        {
            _holdBlocking = true;
        }
    }

    public void ReleaseWatches()
    {
        lock (_lock)
        {
            _holdBlocking = false;
            ReleaseLocked();
        }
    }

    public void Register(
        string service, string id, string serviceAddress, int port, string node = "node-1", string nodeAddress = "10.0.0.1",
        IReadOnlyDictionary<string, string>? meta = null, int passingWeight = 1, int warningWeight = 1)
    {
        lock (_lock)
        {
            _instances[id] = new ConsulDoubleInstance(
                service, id, node, nodeAddress, serviceAddress, port, meta ?? new Dictionary<string, string>(), passingWeight, warningWeight, "passing");
            BumpLocked();
        }
    }

    public void Deregister(string id)
    {
        lock (_lock)
        {
            if (_instances.Remove(id))
            {
                BumpLocked();
            }
        }
    }

    /// <summary>Sets the instance's check status: <c>passing</c>, <c>warning</c> or <c>critical</c>.</summary>
    public void SetCheck(string id, string status)
    {
        lock (_lock)
        {
            _instances[id] = _instances[id] with { Status = status };
            BumpLocked();
        }
    }

    /// <summary>
    /// A restart or snapshot restore: the index drops to <paramref name="index"/> (data is kept, its
    /// indexes clamped). As with Consul, a query blocked on a higher index waits out its wait and
    /// then answers the lower index.
    /// </summary>
    public void Restart(ulong index)
    {
        lock (_lock)
        {
            _index = index;
            foreach (var key in _kv.Keys.ToList())
            {
                var entry = _kv[key];
                _kv[key] = entry with { CreateIndex = Math.Min(entry.CreateIndex, index), ModifyIndex = Math.Min(entry.ModifyIndex, index) };
            }

            ReleaseLocked();
        }
    }

    /// <summary>The next <paramref name="requests"/> requests get a 500.</summary>
    public void FailNext(int requests) => Interlocked.Exchange(ref _failNext, requests);

    /// <summary>The next <paramref name="requests"/> requests are accepted and never answered.</summary>
    public void HangNext(int requests) => Interlocked.Exchange(ref _hangNext, requests);

    /// <summary>From now on, requests without this <c>X-Consul-Token</c> get a 403.</summary>
    public void RequireToken(string token)
    {
        lock (_lock)
        {
            _requiredToken = token;
        }
    }

    public ValueTask DisposeAsync()
    {
        lock (_lock)
        {
            // Let blocked handlers finish so the server stops promptly.
            ReleaseLocked();
        }

        return _backend.DisposeAsync();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ulong BumpLocked()
    {
        _index++;
        ReleaseLocked();
        return _index;
    }

    private void ReleaseLocked()
    {
        _changed.TrySetResult();
        _changed = NewSignal();
    }
}
