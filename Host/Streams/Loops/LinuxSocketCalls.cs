using System.Runtime.InteropServices;

namespace Slardar.Scriptable.Host.Streams.Loops;

/// <summary>The libc calls the stream event loops make, with x86-64 Linux layouts (epoll_event is packed there only): <see cref="StreamEventLoops.IsSupported"/>.</summary>
internal static unsafe partial class LinuxSocketCalls
{
    public const int SolSocket = 1;
    public const int SoError = 4;
    public const int MsgNoSignal = 0x4000;
    public const int ShutWr = 1;
    public const int EpollCtlAdd = 1;
    public const int EpollCtlMod = 3;
    public const int EpollCloExec = 0x80000;
    public const uint EpollIn = 0x1;
    public const uint EpollOut = 0x4;
    public const uint EpollErr = 0x8;
    public const uint EpollHup = 0x10;
    public const uint EpollRdHup = 0x2000;
    public const uint EpollEt = 1u << 31;
    public const int EIntr = 4;
    public const int EAgain = 11;
    public const int EConnReset = 104;
    public const int EInProgress = 115;

    /// <summary>What a session's sockets are watched for: readable, writable, the peer's FIN, edge-triggered.</summary>
    public const uint SessionEvents = EpollIn | EpollOut | EpollRdHup | EpollEt;

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    public struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    public static int LastError => Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int socket, byte* address, int length);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int socket, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int socket, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    public static partial int Shutdown(int socket, int how);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSockOpt(int socket, int level, int name, int* value, int* length);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epoll, int op, int fd, EpollEvent* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epoll, EpollEvent* events, int max, int timeoutMs);
}
