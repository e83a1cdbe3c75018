using System.Globalization;
using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Checkups;
using Slardar.Scriptable.Host.Checkups.Heartbeats;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// GET /status in checkups' shape (<c>"cls:&lt;name&gt;": [[peer, ...] per level]</c>, last_check_time,
/// checkup_timer_alive, start_time), plus what checkups never showed: each peer's passive state,
/// outlier ejection, in-flight requests and latency, so an operator sees why traffic avoids a peer
/// that its heartbeat calls ok.
/// </summary>
internal static class StatusReport
{
    // checkups' time format; ours is UTC.
    private const string TimeFormat = "yyyy-MM-dd HH:mm:ss";

    public static JsonObject Build(UpstreamRegistry registry, HeartbeatScheduler heartbeats, TimeProvider time)
    {
        var now = time.GetTimestamp();
        var status = new JsonObject();
        foreach (var upstream in registry.All.OrderBy(u => u.Name, StringComparer.Ordinal))
        {
            // As checkups: an array of levels, or an object keyed by level name for named clusters.
            JsonNode levels = upstream.Config.HasNamedLevels ? new JsonObject() : new JsonArray();
            for (var i = 0; i < upstream.Levels.Length; i++)
            {
                var peers = new JsonArray();
                foreach (var peer in upstream.Levels[i])
                {
                    peers.Add(Peer(upstream, peer, now, time));
                }

                if (levels is JsonObject named)
                {
                    named[upstream.Config.Levels[i].Name!] = peers;
                }
                else
                {
                    levels.AsArray().Add(peers);
                }
            }

            status[$"cls:{upstream.Name}"] = levels;
        }

        status["last_check_time"] = heartbeats.LastCheckTime?.ToString(TimeFormat, CultureInfo.InvariantCulture);
        status["checkup_timer_alive"] = heartbeats.TimerAlive;
        status["checkup_interval"] = heartbeats.Interval.TotalSeconds;
        status["start_time"] = heartbeats.StartTime.ToString(TimeFormat, CultureInfo.InvariantCulture);
        status["slardar_version"] = typeof(StatusReport).Assembly.GetName().Version?.ToString(3);
        return status;
    }

    private static JsonObject Peer(UpstreamState upstream, PeerState peer, long now, TimeProvider time)
    {
        var active = peer.Health.Active.Current;
        var json = new JsonObject
        {
            ["server"] = $"{upstream.Name}:{peer.Host}:{peer.Port}",
            ["weight"] = peer.Config.Weight,
            ["max_fails"] = peer.Config.MaxFails,
            ["fail_timeout"] = peer.Config.FailTimeout.TotalSeconds,
            ["status"] = active.Status switch
            {
                ActiveStatus.Ok => "ok",
                ActiveStatus.Unstable => "unstable",
                ActiveStatus.Err => "err",
                _ => "unchecked",
            },
        };

        // As checkups: fail_num, lastmodified and msg appear once a heartbeat has run.
        if (active.LastModified is { } modified)
        {
            json["fail_num"] = active.FailNum;
            json["lastmodified"] = modified.ToString(TimeFormat, CultureInfo.InvariantCulture);
            json["msg"] = active.Message;
        }

        foreach (var (key, value) in active.Extra)
        {
            json[key] = System.Text.Json.JsonSerializer.SerializeToNode(value);
        }

        var down = peer.Health.IsDown(now);
        var passive = new JsonObject
        {
            ["status"] = down ? "down" : "ok",
            ["fails"] = upstream.FailuresAt(peer, now),
        };
        if (down && peer.Health.DownUntil is { } until)
        {
            passive["down_for_seconds"] = Math.Round(time.GetElapsedTime(now, until).TotalSeconds, 3);
        }

        json["passive"] = passive;

        var ejected = upstream.IsEjected(peer);
        var outlier = new JsonObject
        {
            ["ejected"] = ejected,
            ["ejections"] = peer.EjectionCount,
            ["error_rate"] = Math.Round(peer.ErrorRate, 4),
            ["window_requests"] = peer.WindowRequests,
        };
        if (ejected && peer.EjectedUntil is { } ejectedUntil)
        {
            outlier["ejected_for_seconds"] = Math.Round(time.GetElapsedTime(now, ejectedUntil).TotalSeconds, 3);
        }

        json["outlier"] = outlier;
        json["inflight"] = peer.InFlight;
        json["latency_ms"] = peer.EwmaMilliseconds is { } ewma ? Math.Round(ewma, 3) : null;
        json["usable"] = peer.IsUsable(now) && !ejected;
        return json;
    }
}
