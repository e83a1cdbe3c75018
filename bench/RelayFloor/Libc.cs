using System.Runtime.InteropServices;

namespace Slardar.Scriptable.RelayFloor;

/// <summary>The libc calls the epoll relay makes beyond the gateway's own (Host/Streams/Loops/LinuxSocketCalls.cs, compiled in): x86-64 Linux layouts.</summary>
internal static unsafe partial class Libc
{
    public const int AfInet = 2;
    public const int SockStream = 1;
    public const int SockNonBlock = 0x800;
    public const int SockCloExec = 0x80000;
    public const int SoReuseAddr = 2;
    public const int SoReusePort = 15;
    public const int IpProtoTcp = 6;
    public const int TcpNoDelay = 1;
    public const short PollOut = 0x4;

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

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    public static partial int Bind(int socket, SockAddrIn* address, int length);

    [LibraryImport("libc", EntryPoint = "listen", SetLastError = true)]
    public static partial int Listen(int socket, int backlog);

    [LibraryImport("libc", EntryPoint = "accept4", SetLastError = true)]
    public static partial int Accept4(int socket, void* address, void* length, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);
}
