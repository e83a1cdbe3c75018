using System.Runtime.InteropServices;
using static Slardar.Scriptable.Host.Streams.Loops.LinuxSocketCalls;
using static Slardar.Scriptable.RelayFloor.Libc;

namespace Slardar.Scriptable.RelayFloor;

/// <summary>
/// A relay on raw epoll calls, shaped like nginx's stream module: one event loop per core, each with
/// its own listening socket (SO_REUSEPORT) and its sessions' two sockets, edge-triggered, reads until
/// the kernel has no more, FIN passed on as a half-close. A send the peer cannot take yet waits on
/// that socket alone (poll): it holds up the loop, which a single long stream and one-byte sessions
/// never notice and a real proxy must not do.
/// </summary>
internal sealed unsafe class EpollRelay
{
    private const ulong ListenerTag = ulong.MaxValue;
    private const int BufferBytes = 64 * 1024;
    private const int MaxFd = 1 << 16;

    private readonly int _listener;
    private readonly int _epoll;
    private readonly SockAddrIn _target;
    private readonly byte* _buffer = (byte*)NativeMemory.Alloc(BufferBytes);

    // Per descriptor: the other socket of its session, whether it still connects, whether its source ended.
    private readonly int[] _peer = new int[MaxFd];
    private readonly bool[] _connecting = new bool[MaxFd];
    private readonly bool[] _ended = new bool[MaxFd];
    private readonly bool[] _open = new bool[MaxFd];

    private EpollRelay(int listenPort, int targetPort)
    {
        _target = SockAddrIn.Loopback(targetPort);
        _listener = Check(Socket(AfInet, SockStream | SockNonBlock | SockCloExec, 0));
        var on = 1;
        SetSockOpt(_listener, SolSocket, SoReuseAddr, &on, sizeof(int));
        SetSockOpt(_listener, SolSocket, SoReusePort, &on, sizeof(int));
        var address = SockAddrIn.Loopback(listenPort);
        Check(Bind(_listener, &address, sizeof(SockAddrIn)));
        Check(Listen(_listener, 4096));
        _epoll = Check(EpollCreate1(0));
        var ev = new EpollEvent { Events = EpollIn, Data = ListenerTag };
        Check(EpollCtl(_epoll, EpollCtlAdd, _listener, &ev));
    }

    /// <summary>Starts <paramref name="loops"/> event loops on their own threads.</summary>
    public static Thread[] Start(int listenPort, int targetPort, int loops) =>
        [.. Enumerable.Range(0, loops).Select(_ =>
        {
            var relay = new EpollRelay(listenPort, targetPort);
            var thread = new Thread(relay.Run) { Name = "epoll relay" };
            thread.Start();
            return thread;
        })];

    private void Run()
    {
        var events = stackalloc EpollEvent[512];
        while (true)
        {
            var count = EpollWait(_epoll, events, 512, -1);
            for (var i = 0; i < count; i++)
            {
                if (events[i].Data == ListenerTag)
                {
                    AcceptAll();
                    continue;
                }

                var fd = (int)events[i].Data;
                if (!_open[fd])
                {
                    continue;
                }

                if (_connecting[fd])
                {
                    if ((events[i].Events & (EpollOut | EpollErr | EpollHup)) != 0)
                    {
                        Connected(fd);
                    }

                    continue;
                }

                Pump(fd);
            }
        }
    }

    private void AcceptAll()
    {
        var on = 1;
        while (Accept4(_listener, null, null, SockNonBlock | SockCloExec) is var client and >= 0)
        {
            SetSockOpt(client, IpProtoTcp, TcpNoDelay, &on, sizeof(int));
            var upstream = Socket(AfInet, SockStream | SockNonBlock | SockCloExec, 0);
            if (upstream < 0)
            {
                Close(client);
                continue;
            }

            SetSockOpt(upstream, IpProtoTcp, TcpNoDelay, &on, sizeof(int));
            Open(client, upstream, connecting: false);
            Open(upstream, client, connecting: true);
            Watch(upstream, EpollIn | EpollOut | EpollRdHup | EpollEt);
            var target = _target;
            Connect(upstream, (byte*)&target, sizeof(SockAddrIn));
        }
    }

    private void Connected(int upstream)
    {
        int error = 0, length = sizeof(int);
        GetSockOpt(upstream, SolSocket, SoError, &error, &length);
        var client = _peer[upstream];
        if (error != 0)
        {
            CloseSession(upstream);
            return;
        }

        _connecting[upstream] = false;
        Watch(client, EpollIn | EpollRdHup | EpollEt);
        Pump(client);
        if (_open[upstream])
        {
            Pump(upstream);
        }
    }

    // Reads until the kernel has nothing more (edge-triggered), sending each chunk on.
    private void Pump(int from)
    {
        var to = _peer[from];
        while (true)
        {
            var read = Recv(from, _buffer, BufferBytes, 0);
            if (read > 0)
            {
                if (!SendAll(to, read))
                {
                    CloseSession(from);
                    return;
                }

                continue;
            }

            if (read == 0)
            {
                _ended[from] = true;
                if (_ended[to])
                {
                    CloseSession(from);
                }
                else
                {
                    Shutdown(to, ShutWr);
                }

                return;
            }

            if (Marshal.GetLastPInvokeError() != EAgain)
            {
                CloseSession(from);
            }

            return;
        }
    }

    private bool SendAll(int to, nint length)
    {
        for (nint sent = 0; sent < length;)
        {
            var n = Send(to, _buffer + sent, (nuint)(length - sent), MsgNoSignal);
            if (n > 0)
            {
                sent += n;
                continue;
            }

            if (n < 0 && Marshal.GetLastPInvokeError() == EAgain)
            {
                var wait = new PollFd { Fd = to, Events = PollOut };
                if (Poll(&wait, 1, 10_000) > 0)
                {
                    continue;
                }
            }

            return false;
        }

        return true;
    }

    private void Open(int fd, int peer, bool connecting)
    {
        _peer[fd] = peer;
        _connecting[fd] = connecting;
        _ended[fd] = false;
        _open[fd] = true;
    }

    private void CloseSession(int fd)
    {
        var peer = _peer[fd];
        _open[fd] = false;
        _open[peer] = false;
        Close(fd);
        Close(peer);
    }

    private void Watch(int fd, uint events)
    {
        var ev = new EpollEvent { Events = events, Data = (ulong)fd };
        EpollCtl(_epoll, EpollCtlAdd, fd, &ev);
    }

    private static int Check(int result) =>
        result >= 0 ? result : throw new InvalidOperationException($"libc call failed: errno {Marshal.GetLastPInvokeError()}");
}
