using System.Runtime.InteropServices;

namespace Slardar.Scriptable.RelayFloor;

/// <summary>The libc calls the epoll relay makes (x86-64 Linux layouts).</summary>
internal static unsafe partial class Libc
{
    public const int AfInet = 2;
    public const int SockStream = 1;
    public const int SockNonBlock = 0x800;
    public const int SockCloExec = 0x80000;
    public const int SolSocket = 1;
    public const int SoReuseAddr = 2;
    public const int SoError = 4;
    public const int SoReusePort = 15;
    public const int IpProtoTcp = 6;
    public const int TcpNoDelay = 1;
    public const int MsgNoSignal = 0x4000;
    public const int ShutWr = 1;
    public const int EpollCtlAdd = 1;
    public const uint EpollIn = 0x1;
    public const uint EpollOut = 0x4;
    public const uint EpollErr = 0x8;
    public const uint EpollHup = 0x10;
    public const uint EpollRdHup = 0x2000;
    public const uint EpollEt = 1u << 31;
    public const short PollOut = 0x4;
    public const int EAgain = 11;

    [StructLayout(LayoutKind.Sequential)]
    public struct SockAddrIn
    {
        public ushort Family;
        public ushort Port;
        public uint Address;
        public ulong Zero;

        /// <summary>127.0.0.1:<paramref name="port"/> in network byte order.</summary>
        public static SockAddrIn Loopback(int port) => new()
        {
            Family = AfInet,
            Port = (ushort)(((port & 0xff) << 8) | (port >> 8)),
            Address = 0x0100007f,
        };
    }

    [StructLayout(LayoutKind.Sequential, Pack = 1)]
    public struct EpollEvent
    {
        public uint Events;
        public ulong Data;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    public static partial int Socket(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "setsockopt", SetLastError = true)]
    public static partial int SetSockOpt(int socket, int level, int name, int* value, int length);

    [LibraryImport("libc", EntryPoint = "getsockopt", SetLastError = true)]
    public static partial int GetSockOpt(int socket, int level, int name, int* value, int* length);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int socket, SockAddrIn* address, int length);

    [LibraryImport("libc", EntryPoint = "listen", SetLastError = true)]
    public static partial int Listen(int socket, int backlog);

    [LibraryImport("libc", EntryPoint = "accept4", SetLastError = true)]
    public static partial int Accept4(int socket, void* address, void* length, int flags);

    [LibraryImport("libc", EntryPoint = "connect", SetLastError = true)]
    public static partial int Connect(int socket, SockAddrIn* address, int length);

    [LibraryImport("libc", EntryPoint = "recv", SetLastError = true)]
    public static partial nint Recv(int socket, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "send", SetLastError = true)]
    public static partial nint Send(int socket, byte* buffer, nuint length, int flags);

    [LibraryImport("libc", EntryPoint = "shutdown", SetLastError = true)]
    public static partial int Shutdown(int socket, int how);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epoll, int op, int fd, EpollEvent* ev);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epoll, EpollEvent* events, int max, int timeoutMs);
}
