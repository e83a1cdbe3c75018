using System.Runtime.InteropServices;

namespace Slardar.Scriptable.Host.Streams.Loops;

/// <summary>
/// The process's stream event loops, one per core, started on first use and shared by every gateway
/// in the process (as the runtime's own socket engine is). Plain sessions (no TLS to the peer, an
/// address for a peer) connect and relay on one of them, the way nginx's workers do: one epoll wait, then
/// non-blocking reads and sends, for every socket of the loop. The runtime's engine would add its
/// own dispatch, operation queues and a second wake-up per event (bench: the "relay floor" rows).
/// </summary>
internal static class StreamEventLoops
{
    private static readonly Lazy<StreamEventLoop[]> Loops = new(Start);
    private static int _next;

    /// <summary>Linux on x86-64 (the layouts <see cref="LinuxSocketCalls"/> declares); elsewhere sessions use the runtime's sockets.</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64;

    /// <summary>The loop for a new session, round robin.</summary>
    public static StreamEventLoop Next()
    {
        var loops = Loops.Value;
        return loops[(int)((uint)Interlocked.Increment(ref _next) % (uint)loops.Length)];
    }

    private static StreamEventLoop[] Start()
    {
        if (!IsSupported)
        {
            throw new PlatformNotSupportedException("stream event loops need Linux on x86-64");
        }

        return [.. Enumerable.Range(0, Environment.ProcessorCount).Select(i => new StreamEventLoop(i))];
    }
}
