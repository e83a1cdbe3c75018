using System.Net;
using System.Net.Sockets;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>
/// A loopback listener that never accepts and whose accept queue is full: the kernel drops the SYN of
/// every further connect, which then neither completes nor fails (a peer behind a dead route, or
/// overloaded), until the connecting side gives up.
/// </summary>
internal sealed class FullBacklogPeer : IDisposable
{
    private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
    private readonly Socket _filler = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

    private FullBacklogPeer()
    {
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));

        // Linux's queue holds backlog + 1 connections: with 0, the filler's connection fills it.
        _listener.Listen(0);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    public static async Task<FullBacklogPeer> StartAsync()
    {
        var peer = new FullBacklogPeer();
        await peer._filler.ConnectAsync(new IPEndPoint(IPAddress.Loopback, peer.Port));
        return peer;
    }

    public void Dispose()
    {
        _filler.Dispose();
        _listener.Dispose();
    }
}
