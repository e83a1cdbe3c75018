using System.Globalization;
using Slardar.Scriptable.Host.Store;

namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// Admin writes when Consul is the source of truth: the change goes to Consul first, with a
/// check-and-set on the ModifyIndex this gateway last applied for the key (a key it never saw must
/// not exist yet), so a change made meanwhile by someone else is a conflict rather than lost. Then
/// the write waits, bounded, until this gateway's own watch has applied it, so that an admin call
/// followed by a read shows the new state; every other gateway applies it from its watch the same way.
/// </summary>
internal sealed class ConsulWriteThrough
{
    private readonly ConsulClient _client;
    private readonly ConsulKvSync _sync;
    private readonly GatewayStore _store;
    private readonly TimeSpan _applyTimeout;

    public ConsulWriteThrough(ConsulClient client, ConsulKvSync sync, GatewayStore store, TimeSpan applyTimeout)
    {
        _client = client;
        _sync = sync;
        _store = store;
        _applyTimeout = applyTimeout;
    }

    /// <summary>Whether Consul holds <paramref name="key"/> as far as this gateway knows.</summary>
    public bool Holds(string key) => _sync.IndexOf(key) is not null;

    /// <param name="actor">Who asked (the admin client), for the audit log: the change itself is applied, and versioned, as origin consul.</param>
    public async Task<ConsulWriteOutcome> PutAsync(string key, string value, string actor, CancellationToken cancellationToken)
    {
        var cas = _sync.IndexOf(key) ?? 0;
        ulong index;
        try
        {
            if (!await _client.PutAsync(key, value, cas, cancellationToken))
            {
                return Conflict(key, cas);
            }

            // Consul's PUT answers only true: read the key back for the index the watch will report.
            index = (await _client.GetAsync(key, cancellationToken))?.ModifyIndex ?? 0;
            _store.Audit("consul.put", key, $"cas={Number(cas)} index={Number(index)}", actor);
        }
        catch (ConsulException e)
        {
            return new ConsulWriteOutcome(ConsulWriteStatus.Unavailable, "Consul could not be written; nothing changed: " + e.Message);
        }

        if (!await _sync.WaitAsync(() => _sync.IndexOf(key) >= index, _applyTimeout, cancellationToken))
        {
            return Pending(index);
        }

        return _sync.RejectionOf(key) is { } rejection && rejection.ModifyIndex >= index
            ? new ConsulWriteOutcome(ConsulWriteStatus.Rejected, rejection.Reason, index)
            : new ConsulWriteOutcome(ConsulWriteStatus.Applied, null, index);
    }

    public async Task<ConsulWriteOutcome> DeleteAsync(string key, string actor, CancellationToken cancellationToken)
    {
        var cas = _sync.IndexOf(key) ?? 0;
        try
        {
            // cas=0 never deletes in Consul: a key this gateway never saw is not deleted blindly.
            if (!await _client.DeleteAsync(key, cas, cancellationToken))
            {
                return Conflict(key, cas);
            }

            _store.Audit("consul.delete", key, $"cas={Number(cas)}", actor);
        }
        catch (ConsulException e)
        {
            return new ConsulWriteOutcome(ConsulWriteStatus.Unavailable, "Consul could not be written; nothing changed: " + e.Message);
        }

        return await _sync.WaitAsync(() => _sync.IndexOf(key) is null, _applyTimeout, cancellationToken)
            ? new ConsulWriteOutcome(ConsulWriteStatus.Applied)
            : Pending(null);
    }

    private static string Number(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static ConsulWriteOutcome Conflict(string key, ulong cas) => new(
        ConsulWriteStatus.Conflict,
        cas == 0
            ? $"{key} was created in Consul meanwhile, and this gateway has not seen it yet; read it and retry"
            : $"{key} changed in Consul since this gateway read it (ModifyIndex {cas}); read it again and retry");

    private static ConsulWriteOutcome Pending(ulong? index) => new(
        ConsulWriteStatus.Pending, "written to Consul; this gateway has not applied it yet (see /status consul)", index);
}
