using System.Net.Sockets;
using System.Reflection;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// Lets one socket's completions run on the runtime's socket event thread instead of being queued to
/// the thread pool: what <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c> does for a whole
/// process, through the runtime's per-socket switch (internal: found by reflection once; when a runtime
/// does not have it, nothing changes). A plain stream session's continuations are short and never block
/// (non-blocking receives and sends, a timer stamp), so running them where the readiness event arrives
/// saves a thread hop and a wake-up per event. Not for TLS sessions: their crypto would hold up every
/// other socket's events.
/// </summary>
internal static class SocketInlineCompletions
{
    private static readonly Action<Socket, bool>? Setter = FindSetter();

    /// <summary>True when this runtime has the switch.</summary>
    public static bool IsAvailable => Setter is not null;

    public static void Prefer(Socket socket) => Setter?.Invoke(socket, true);

    private static Action<Socket, bool>? FindSetter()
    {
        var property = typeof(Socket).GetProperty("PreferInlineCompletions", BindingFlags.NonPublic | BindingFlags.Instance);
        return property is { PropertyType: var type, SetMethod: { } set } && type == typeof(bool)
            ? set.CreateDelegate<Action<Socket, bool>>()
            : null;
    }
}
