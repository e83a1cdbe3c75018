using System.Text.Json.Nodes;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// The <c>"streams"</c> object of /status: every configured listener (bound, or with the reason it
/// could not be bound), removed ones still draining, and their open sessions (the oldest
/// <see cref="MaxSessionsListed"/> of each).
/// </summary>
internal static class StreamStatusReport
{
    public const int MaxSessionsListed = 100;

    public static JsonObject Build(StreamListeners listeners, TimeProvider time)
    {
        var report = new JsonObject();
        foreach (var listener in listeners.Listeners.Values.OrderBy(l => l.Config.Address, StringComparer.Ordinal))
        {
            report[listener.Config.Address] = Describe(listener, listener.BindError is null ? "listening" : "failed", time);
        }

        foreach (var listener in listeners.Draining)
        {
            // A removed address may be configured again while its old sessions drain: the draining one gets its own key.
            report[listener.Config.Address + " (draining)"] = Describe(listener, "draining", time);
        }

        return report;
    }

    private static JsonObject Describe(StreamListener listener, string state, TimeProvider time)
    {
        var config = listener.Config;
        var sessions = new JsonArray();
        foreach (var session in listener.Sessions.OrderBy(s => s.Id).Take(MaxSessionsListed))
        {
            sessions.Add(new JsonObject
            {
                ["client"] = session.Client?.ToString() ?? "-",
                ["upstream"] = session.Upstream,
                ["peer"] = session.PeerAddress,
                ["seconds"] = Math.Round(time.GetElapsedTime(session.StartedAt).TotalSeconds, 3),
                ["bytes_up"] = session.BytesUp,
                ["bytes_down"] = session.BytesDown,
                ["buffer_bytes"] = session.BufferBytes,
            });
        }

        return new JsonObject
        {
            ["state"] = state,
            ["bound"] = listener.BoundEndPoint?.ToString(),
            ["error"] = listener.BindError,
            ["upstream"] = config.Upstream,
            ["proxy_timeout"] = config.ProxyTimeout.TotalSeconds,
            ["max_session_time"] = config.MaxSessionTime?.TotalSeconds,
            ["trusted"] = config.Trusted,
            ["budget_ms"] = config.Budget?.TotalMilliseconds,
            ["sessions_active"] = listener.ActiveSessions,
            ["sessions_total"] = listener.TotalSessions,
            ["sessions"] = sessions,
        };
    }
}
