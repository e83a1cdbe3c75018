using System.Collections.Immutable;
using Slardar.Scriptable.Host.Checkups.Outliers;
using Slardar.Scriptable.Host.Checkups.Probes;

namespace Slardar.Scriptable.Host.Checkups.Heartbeats;

/// <summary>
/// Active health checks on one scheduler (checkups' heartbeat timer): every interval, every peer
/// of every upstream with checks enabled is probed, with bounded concurrency, and the results are
/// applied per upstream by <see cref="HeartbeatRound"/>. Removed peers are never probed: each round
/// reads the registry's current snapshot.
/// </summary>
internal sealed partial class HeartbeatScheduler : IAsyncDisposable
{
    private readonly UpstreamRegistry _registry;
    private readonly ProbeRegistry _probes;
    private readonly TimeProvider _time;
    private readonly ILogger<HeartbeatScheduler> _logger;
    private readonly SemaphoreSlim _concurrency;
    private readonly CancellationTokenSource _stopping = new();
    private Task _loop = Task.CompletedTask;
    private long _lastCheckTicks;

    public HeartbeatScheduler(UpstreamRegistry registry, ProbeRegistry probes, TimeProvider time, TimeSpan interval, int maxConcurrency, ILogger<HeartbeatScheduler> logger)
    {
        _registry = registry;
        _probes = probes;
        _time = time;
        Interval = interval;
        _logger = logger;
        _concurrency = new SemaphoreSlim(maxConcurrency);
        StartTime = time.GetUtcNow();
    }

    public TimeSpan Interval { get; }

    public DateTimeOffset StartTime { get; }

    /// <summary>When the last round finished; null before the first.</summary>
    public DateTimeOffset? LastCheckTime => Interlocked.Read(ref _lastCheckTicks) is var ticks and not 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    /// <summary>checkups' checkup_timer_alive: the loop runs and its last round is recent.</summary>
    public bool TimerAlive => !_loop.IsCompleted
        && (LastCheckTime is not { } last || _time.GetUtcNow() - last < Interval * 3 + TimeSpan.FromSeconds(60));

    /// <summary>Raised after each round, with the number of peers probed.</summary>
    public event Action<int>? RoundCompleted;

    /// <summary>Raised for each peer that outlier detection ejects at the end of a round.</summary>
    public event Action<OutlierEjection>? Ejected;

    /// <summary>Raised for every failed check of a peer (upstream name, peer address).</summary>
    public event Action<string, string>? ProbeFailed;

    /// <summary>Raised when a peer's active status changes.</summary>
    public event Action<UpstreamState, PeerState, ActiveHealthSnapshot>? StatusChanged;

    /// <summary>Whether rounds probe peers; outlier detection runs every round either way.</summary>
    public bool Probing { get; private set; } = true;

    /// <param name="probe">False when active checks are off (<c>Checkups:ActiveChecks=false</c>).</param>
    public void Start(bool probe = true)
    {
        Probing = probe;

        // A round runs at once (as checkups' timer at 0), then every interval.
        _loop = Task.Run(() => LoopAsync(_stopping.Token));
    }

    /// <summary>One round: probes every enabled upstream, then evaluates outliers. The loop calls it; tests call it directly.</summary>
    /// <param name="probe">Whether to probe; the loop passes <see cref="Probing"/>.</param>
    public async Task RunRoundAsync(bool probe = true, CancellationToken cancellationToken = default)
    {
        if (probe)
        {
            await ProbeAllAsync(cancellationToken);
        }

        foreach (var ejection in _registry.EvaluateOutliers())
        {
            Log.PeerEjected(_logger, ejection.Upstream, ejection.Peer.Address, ejection.Reason, ejection.ErrorRate, ejection.Requests, ejection.Duration.TotalSeconds);
            Ejected?.Invoke(ejection);
        }
    }

    private async Task ProbeAllAsync(CancellationToken cancellationToken)
    {
        var upstreams = _registry.All;
        var rounds = new List<Task<int>>(upstreams.Count);
        foreach (var upstream in upstreams)
        {
            if (!upstream.Config.Enable)
            {
                MarkUnchecked(upstream);
                continue;
            }

            rounds.Add(CheckUpstreamAsync(upstream, cancellationToken));
        }

        var probed = 0;
        foreach (var round in rounds)
        {
            probed += await round;
        }

        Interlocked.Exchange(ref _lastCheckTicks, _time.GetUtcNow().UtcTicks);
        RoundCompleted?.Invoke(probed);
    }

    private async Task LoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await RunRoundAsync(Probing, cancellationToken);
                await Task.Delay(Interval, _time, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A bug in one round must not stop health checking for good.
                Log.RoundFailed(_logger, ex);
                await Task.Delay(Interval, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    private async Task<int> CheckUpstreamAsync(UpstreamState upstream, CancellationToken cancellationToken)
    {
        var heartbeat = upstream.Config.Heartbeat;
        var probe = _probes.Get(heartbeat.Type);
        var settings = new ProbeSettings
        {
            Timeout = upstream.Config.ConnectTimeout ?? ProbeSettings.DefaultTimeout,
            Time = _time,
            HttpQuery = heartbeat.HttpQuery,
            Tls = upstream.Config.Tls,
            Http2 = upstream.Config.Http2,
            HttpFailureStatuses = heartbeat.HttpFailureStatuses,
            MysqlDatabase = heartbeat.MysqlDatabase,
            MysqlUser = heartbeat.MysqlUser,
            MysqlPassword = heartbeat.MysqlPassword,
        };

        // A host:port listed in two levels shares one health record: probe it once.
        var peers = new List<PeerState>();
        var seen = new HashSet<PeerHealth>(ReferenceEqualityComparer.Instance);
        foreach (var level in upstream.Levels)
        {
            foreach (var peer in level)
            {
                if (seen.Add(peer.Health))
                {
                    peers.Add(peer);
                }
            }
        }

        var results = await Task.WhenAll(peers.Select(peer => ProbeAsync(probe, peer, settings, cancellationToken)));
        var observations = HeartbeatRound.Apply(results, heartbeat.Protected);
        var now = _time.GetUtcNow();
        for (var i = 0; i < peers.Count; i++)
        {
            var active = peers[i].Health.Active;
            var before = active.Current.Status;
            var (status, message, extra) = observations[i];
            if (results[i].Status != PeerHealthStatus.Ok)
            {
                ProbeFailed?.Invoke(upstream.Name, peers[i].Address);
            }

            active.Record(status, message, extra, heartbeat.Sensibility, heartbeat.Rise, now);
            if (active.Current.Status != before)
            {
                Log.StatusChanged(_logger, upstream.Name, peers[i].Address, before, active.Current.Status, active.Current.Message);
                StatusChanged?.Invoke(upstream, peers[i], active.Current);
                if (active.Current.Status == ActiveStatus.Ok && before is ActiveStatus.Err or ActiveStatus.Unstable
                    && upstream.EndEjectionOnRecovery(peers[i]))
                {
                    Log.EjectionEnded(_logger, upstream.Name, peers[i].Address);
                }
            }
        }

        return peers.Count;
    }

    private async Task<ProbeResult> ProbeAsync(IHealthProbe probe, PeerState peer, ProbeSettings settings, CancellationToken cancellationToken)
    {
        await _concurrency.WaitAsync(cancellationToken);
        try
        {
            return await probe.ProbeAsync(peer.Host, peer.Port, settings, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Probes report peer failures as results; an exception is a probe bug, still a failed check.
            return new ProbeResult(PeerHealthStatus.Err, ex.Message, null);
        }
        finally
        {
            _concurrency.Release();
        }
    }

    private static void MarkUnchecked(UpstreamState upstream)
    {
        foreach (var level in upstream.Levels)
        {
            foreach (var peer in level)
            {
                peer.Health.Active.MarkUnchecked();
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
        _concurrency.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Warning, "Heartbeat: {Upstream} peer {Peer} {From} -> {To} ({Message})")]
        public static partial void StatusChanged(ILogger logger, string upstream, string peer, ActiveStatus from, ActiveStatus to, string? message);

        [LoggerMessage(3, LogLevel.Warning, "Outlier: {Upstream} peer {Peer} ejected ({Reason}, 5xx rate {Rate:P0} over {Requests} requests) for {Seconds} s")]
        public static partial void PeerEjected(ILogger logger, string upstream, string peer, OutlierEjectionReason reason, double rate, int requests, double seconds);

        [LoggerMessage(4, LogLevel.Information, "Outlier: {Upstream} peer {Peer} back before its ejection ended: the active check saw it recover")]
        public static partial void EjectionEnded(ILogger logger, string upstream, string peer);

        [LoggerMessage(2, LogLevel.Error, "Heartbeat round failed")]
        public static partial void RoundFailed(ILogger logger, Exception exception);
    }
}
