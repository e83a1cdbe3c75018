using System.Collections.Concurrent;
using System.Collections.Frozen;
using Slardar.Scriptable.Host.Certificates;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Scripts;
using Slardar.Scriptable.Host.Store;

using Slardar.Scriptable.Host.Services.Caching;

namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// Mirrors the KV prefix into the gateway: at start one plain read (bounded by the request
/// timeout; when Consul does not answer, the gateway starts from its store and says so), then a
/// blocking-query watch. Each new state is diffed by ModifyIndex against the last one applied and
/// goes through the same write paths as every other source (<see cref="UpstreamCatalog"/>,
/// <see cref="ScriptCatalog"/>), so it is validated, stored as the last-known-good copy and
/// published; a refused value is logged and listed in <see cref="Status"/> while the last good
/// version keeps serving. A key that disappears unbinds what it defined. On the first state seen
/// (at start, or when Consul comes back after a start from the store) documents that came from
/// Consul and are no longer there are removed too: Consul is the source of truth.
/// </summary>
internal sealed partial class ConsulKvSync : IAsyncDisposable
{
    private const string Actor = "consul";

    private readonly ConsulClient _client;
    private readonly ConsulKvLayout _layout;
    private readonly UpstreamCatalog _upstreams;
    private readonly ScriptCatalog _scripts;
    private readonly ScriptRegistry _scriptRegistry;
    private readonly GatewayStore _store;
    private readonly ConsulConfigCache _config;
    private readonly CertificateCatalog _certificates;
    private readonly ConsulCachePurges? _cachePurges;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConsulWatch<IReadOnlyList<ConsulKvEntry>> _watch;
    private readonly CancellationTokenSource _stopping = new();

    // The ModifyIndex of every key, updated while a state applies; published as a whole once it has
    // applied, so a write-through never sees a key as done while its change is still half-way.
    private readonly ConcurrentDictionary<string, ulong> _indexes = new(StringComparer.Ordinal);
    private volatile FrozenDictionary<string, ulong> _applied = FrozenDictionary<string, ulong>.Empty;
    private readonly ConcurrentDictionary<string, ConsulKvRejection> _rejected = new(StringComparer.Ordinal);
    private TaskCompletionSource _appliedSignal = NewSignal();
    private Task _running = Task.CompletedTask;
    private volatile bool _everApplied;
    private volatile bool _startedFromStore;
    private volatile string? _startError;
    private volatile ApplyTimes? _times;
    private ulong _lastIndex;

    public ConsulKvSync(
        ConsulClient client,
        ConsulKvLayout layout,
        ConsulWatchOptions watchOptions,
        UpstreamCatalog upstreams,
        ScriptCatalog scripts,
        ScriptRegistry scriptRegistry,
        GatewayStore store,
        ConsulConfigCache config,
        CertificateCatalog certificates,
        ConsulCachePurges? cachePurges,
        TimeProvider time,
        ILogger<ConsulKvSync> logger)
    {
        _cachePurges = cachePurges;
        _certificates = certificates;
        _client = client;
        _layout = layout;
        _upstreams = upstreams;
        _scripts = scripts;
        _scriptRegistry = scriptRegistry;
        _store = store;
        _config = config;
        _time = time;
        _logger = logger;
        _watch = ConsulWatches.KeyPrefix(client, layout.Prefix, ApplyAsync, watchOptions, time, logger);
    }

    public ConsulKvStatus Status
    {
        get
        {
            var watch = _watch.Status;
            var watched = watch.LastAnswerAt is not null || watch.ConsecutiveFailures > 0;
            var times = _times;
            var lag = times is null ? (TimeSpan?)null
                : _time.GetElapsedTime(times.SeenAt, times.AppliedAt is { } done && done >= times.SeenAt ? done : _time.GetTimestamp());
            return new ConsulKvStatus(
                watched ? watch.Reachable : !_startedFromStore && _everApplied,
                _startedFromStore,
                Volatile.Read(ref _lastIndex),
                times?.SeenAtUtc,
                times?.AppliedAtUtc,
                lag,
                watched ? watch.LastError : _startError,
                [.. _rejected.Values.OrderBy(r => r.Key, StringComparer.Ordinal)]);
        }
    }

    /// <summary>The ModifyIndex this gateway last applied for <paramref name="key"/>; null when Consul has no such key.</summary>
    public ulong? IndexOf(string key) => _applied.TryGetValue(key, out var index) ? index : null;

    public ConsulKvRejection? RejectionOf(string key) => _rejected.GetValueOrDefault(key);

    /// <summary>Reads and applies everything under the prefix, then starts watching. Never throws for Consul's sake.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        ulong applied = 0;
        try
        {
            var state = await _client.ListAsync(_layout.Prefix, cancellationToken);
            await ApplyAsync(state, cancellationToken);
            applied = state.Index;
            Log.Loaded(_logger, _layout.Prefix, _indexes.Count, state.Index);
        }
        catch (ConsulException e)
        {
            _startedFromStore = true;
            _startError = e.Message;
            Log.StartedFromStore(_logger, e.Message);
        }

        // Blocks from the index just applied: a change landing before the first query is then
        // reported as a change (and is not mistaken for the state a pending admin write read).
        _running = Task.Run(() => _watch.RunAsync(_stopping.Token, applied), CancellationToken.None);
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds after an apply, or <paramref name="timeout"/>
    /// passes (false). Lets an admin write answer once its own change is live here.
    /// </summary>
    public async Task<bool> WaitAsync(Func<bool> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _time.GetTimestamp();
        while (true)
        {
            var signal = Volatile.Read(ref _appliedSignal).Task;
            if (condition())
            {
                return true;
            }

            var left = timeout - _time.GetElapsedTime(started);
            if (left <= TimeSpan.Zero)
            {
                return false;
            }

            try
            {
                await signal.WaitAsync(left, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                return condition();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _running;
        _stopping.Dispose();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task ApplyAsync(ConsulResult<IReadOnlyList<ConsulKvEntry>> state, CancellationToken cancellationToken)
    {
        var seen = _time.GetTimestamp();
        _times = new ApplyTimes(seen, _time.GetUtcNow(), _times?.AppliedAt, _times?.AppliedAtUtc);
        var current = new Dictionary<string, ConsulKvEntry>(StringComparer.Ordinal);
        foreach (var entry in state.Value)
        {
            if (_layout.Parse(entry.Key) is not null)
            {
                current[entry.Key] = entry;
            }
        }

        var changed = current.Values.Where(e => !_indexes.TryGetValue(e.Key, out var seen) || seen != e.ModifyIndex).ToList();
        var removed = _indexes.Keys.Where(k => !current.ContainsKey(k)).ToList();
        var scripts = new List<Task>();

        // Modules first, one by one: the scripts of the same snapshot may use them.
        foreach (var entry in changed.OrderBy(e => _layout.Parse(e.Key)!.Value.Kind == ConsulKvLayout.Modules ? 0 : 1))
        {
            var (kind, name) = _layout.Parse(entry.Key)!.Value;
            switch (kind)
            {
                case ConsulKvLayout.Modules:
                    await ApplyModuleAsync(entry, name, cancellationToken);
                    break;
                case ConsulKvLayout.Upstreams:
                    var result = _upstreams.ApplyDefinition(name, entry.ValueAsString, StoreOrigins.Consul, Actor);
                    Record(entry, result.Accepted ? null : result.Error);
                    break;
                case ConsulKvLayout.Scripts:
                    scripts.Add(ApplyScriptAsync(entry, name, cancellationToken));
                    break;
                case ConsulKvLayout.Certificates:
                    Record(entry, ApplyCertificate(name, entry.ValueAsString));
                    break;
                case ConsulKvLayout.CachePurges:
                    Record(entry, _cachePurges?.Apply(name, entry.ValueAsString));
                    break;
                default:
                    var refused = _config.Seen(name, entry.ValueAsString);
                    if (refused is null)
                    {
                        _store.Put(StoreKinds.Config, name, entry.ValueAsString, StoreOrigins.Consul, Actor);
                    }

                    Record(entry, refused);
                    break;
            }
        }

        // Compiles run in parallel, off the request path (the catalog serializes the swaps).
        await Task.WhenAll(scripts);

        // Modules last: a script removed in the same snapshot no longer holds its module.
        foreach (var key in removed.OrderBy(k => _layout.Parse(k)!.Value.Kind == ConsulKvLayout.Modules ? 1 : 0))
        {
            await RemoveAsync(key, cancellationToken);
        }

        if (!_everApplied)
        {
            await RemoveGoneFromConsulAsync(current, cancellationToken);
        }

        _everApplied = true;
        _applied = _indexes.ToFrozenDictionary(StringComparer.Ordinal);
        Volatile.Write(ref _lastIndex, state.Index);
        _times = new ApplyTimes(seen, _times!.SeenAtUtc, _time.GetTimestamp(), _time.GetUtcNow());
        Interlocked.Exchange(ref _appliedSignal, NewSignal()).TrySetResult();
    }

    private async Task ApplyScriptAsync(ConsulKvEntry entry, string name, CancellationToken cancellationToken)
    {
        if (!ScriptKey.TryParseStoreName(name, out var key))
        {
            Record(entry, $"\"{name}\" is not <host>/<phase> (phase: rewrite, auth or balancer)");
            return;
        }

        var source = entry.ValueAsString;
        if (_scriptRegistry.Get(key) is { } active && active.Sha256 == ContentHash.Sha256Hex(source))
        {
            Record(entry, null);
            return;
        }

        var result = await _scripts.ApplyAsync(key, source, StoreOrigins.Consul, Actor, dryRun: false, cancellationToken);
        Record(entry, result.Accepted ? null : $"{result.Error}: {string.Join("; ", result.Diagnostics.Where(d => d.IsError).Take(3).Select(d => $"line {d.Line}: {d.Message}"))}");
    }

    private async Task ApplyModuleAsync(ConsulKvEntry entry, string name, CancellationToken cancellationToken)
    {
        var source = entry.ValueAsString;
        if (_scripts.Modules.FirstOrDefault(m => m.Name == name) is { } current && current.Source == source)
        {
            Record(entry, null);
            return;
        }

        var result = await _scripts.ApplyModuleAsync(name, source, StoreOrigins.Consul, Actor, dryRun: false, cancellationToken);
        var why = result.Diagnostics.Concat(result.Dependents.SelectMany(static d => d.Diagnostics)).Where(static d => d.IsError).Take(3);
        Record(entry, result.Accepted ? null : $"{result.Error}: {string.Join("; ", why.Select(static d => $"{d.File ?? "script"} line {d.Line}: {d.Message}"))}");
    }

    private async Task RemoveAsync(string key, CancellationToken cancellationToken)
    {
        _indexes.TryRemove(key, out _);
        _rejected.TryRemove(key, out _);
        var (kind, name) = _layout.Parse(key)!.Value;
        switch (kind)
        {
            case ConsulKvLayout.Upstreams:
                _upstreams.Delete(name, StoreOrigins.Consul, Actor);
                break;
            case ConsulKvLayout.Scripts when ScriptKey.TryParseStoreName(name, out var script):
                await _scripts.DeleteAsync(script, StoreOrigins.Consul, Actor, cancellationToken);
                break;
            case ConsulKvLayout.Certificates:
                _certificates.Delete(name, StoreOrigins.Consul, Actor);
                break;
            case ConsulKvLayout.Modules:
                // Refused while a script here still uses it: the module keeps serving, and the log says why.
                if (await _scripts.DeleteModuleAsync(name, StoreOrigins.Consul, Actor, cancellationToken) is { Accepted: false, Status: not 404 } refused)
                {
                    Log.ModuleKept(_logger, key, refused.Error!);
                }

                break;
            case ConsulKvLayout.CachePurges:
                _cachePurges?.Forget(name);
                break;
            case ConsulKvLayout.Config:
                _config.Forget(name);
                _store.Delete(StoreKinds.Config, name, StoreOrigins.Consul, Actor);
                break;
        }
    }

    private async Task RemoveGoneFromConsulAsync(Dictionary<string, ConsulKvEntry> current, CancellationToken cancellationToken)
    {
        var present = new HashSet<string>(current.Keys, StringComparer.OrdinalIgnoreCase);
        foreach (var document in _store.List(StoreKinds.Config))
        {
            if (document.Origin == StoreOrigins.Consul && !present.Contains(_layout.ConfigKey(document.Name)))
            {
                _config.Forget(document.Name);
                _store.Delete(StoreKinds.Config, document.Name, StoreOrigins.Consul, Actor);
            }
        }

        foreach (var document in _store.List(StoreKinds.Upstream))
        {
            if (document.Origin == StoreOrigins.Consul && !present.Contains(_layout.UpstreamKey(document.Name)))
            {
                Log.GoneFromConsul(_logger, _layout.UpstreamKey(document.Name));
                _upstreams.Delete(document.Name, StoreOrigins.Consul, Actor);
            }
        }

        foreach (var document in _store.List(StoreKinds.Certificate))
        {
            if (document.Origin == StoreOrigins.Consul && !present.Contains(_layout.CertificateKey(document.Name)))
            {
                Log.GoneFromConsul(_logger, _layout.CertificateKey(document.Name));
                _certificates.Delete(document.Name, StoreOrigins.Consul, Actor);
            }
        }

        foreach (var document in _store.List(StoreKinds.Script))
        {
            if (document.Origin == StoreOrigins.Consul && !present.Contains(_layout.ScriptKey(document.Name))
                && ScriptKey.TryParseStoreName(document.Name, out var key))
            {
                Log.GoneFromConsul(_logger, _layout.ScriptKey(document.Name));
                await _scripts.DeleteAsync(key, StoreOrigins.Consul, Actor, cancellationToken);
            }
        }

        foreach (var document in _store.List(StoreKinds.Module))
        {
            if (document.Origin == StoreOrigins.Consul && !present.Contains(_layout.ModuleKey(document.Name)))
            {
                Log.GoneFromConsul(_logger, _layout.ModuleKey(document.Name));
                await _scripts.DeleteModuleAsync(document.Name, StoreOrigins.Consul, Actor, cancellationToken);
            }
        }
    }

    // A certificate's value carries its key sealed with the shared protection key (never plain).
    private string? ApplyCertificate(string name, string value)
    {
        var request = CertificateRequest.Parse(System.Text.Encoding.UTF8.GetBytes(value), sealedKey: true, out var error);
        if (request is null)
        {
            return error;
        }

        if (request.SealedKey is null)
        {
            return "key_sealed: missing (certificates in Consul carry the key sealed with Certificates:ProtectionKey)";
        }

        var result = _certificates.Apply(name, request, StoreOrigins.Consul, Actor);
        return result.Accepted ? null : result.Error;
    }

    private void Record(ConsulKvEntry entry, string? error)
    {
        if (error is null)
        {
            _rejected.TryRemove(entry.Key, out _);
        }
        else
        {
            _rejected[entry.Key] = new ConsulKvRejection(entry.Key, entry.ModifyIndex, error, _time.GetUtcNow());
            Log.Rejected(_logger, entry.Key, entry.ModifyIndex, error);
        }

        _indexes[entry.Key] = entry.ModifyIndex;
    }

    /// <summary>When the last new state was seen and when it (or the one before) finished applying; swapped whole.</summary>
    private sealed record ApplyTimes(long SeenAt, DateTimeOffset SeenAtUtc, long? AppliedAt, DateTimeOffset? AppliedAtUtc);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Consul: loaded {Count} keys under {Prefix} (index {Index})")]
        public static partial void Loaded(ILogger logger, string prefix, int count, ulong index);

        [LoggerMessage(2, LogLevel.Warning, "Consul did not answer at start; serving the last-known-good state from the store and catching up when it answers: {Reason}")]
        public static partial void StartedFromStore(ILogger logger, string reason);

        [LoggerMessage(3, LogLevel.Error, "Consul key {Key} (ModifyIndex {Index}) refused; the last good version keeps serving: {Reason}")]
        public static partial void Rejected(ILogger logger, string key, ulong index, string reason);

        [LoggerMessage(4, LogLevel.Information, "Consul key {Key} is gone from Consul; removing what it defined")]
        public static partial void GoneFromConsul(ILogger logger, string key);

        [LoggerMessage(5, LogLevel.Warning, "Consul key {Key} was deleted, but the module stays: {Reason}")]
        public static partial void ModuleKept(ILogger logger, string key, string reason);
    }
}
