using System.Runtime.InteropServices;
using static Slardar.Scriptable.Host.Streams.Loops.LinuxSocketCalls;

namespace Slardar.Scriptable.Host.Streams.Loops;

/// <summary>
/// One event loop: a thread that waits on its epoll set and runs the events of its sessions' sockets
/// (<see cref="StreamLoopSession"/>), one read buffer for all of them. Each registration is a slot
/// with a generation, so an event still queued for a session that has ended since is dropped rather
/// than delivered to the next session in that slot. A session that had more to read after its turn
/// (<see cref="StreamLoopSession.ChunksPerTurn"/>) goes on after the other events of the same wake.
/// Only this thread reads, sends and closes the sockets it watches; other threads register sockets,
/// and end sessions by shutting their sockets down (which wakes the loop), never by closing them, so
/// a descriptor is never reused under the loop.
/// </summary>
internal sealed unsafe class StreamEventLoop
{
    /// <summary>The most one session reads in one go: the largest <c>Streams:BufferBytes</c>.</summary>
    public const int ReadBufferBytes = 1024 * 1024;

    private const int MaxEvents = 256;
    private readonly int _epoll;
    private readonly byte* _buffer = (byte*)NativeMemory.Alloc(ReadBufferBytes);
    private readonly Lock _slotsLock = new();
    private readonly Stack<int> _freeSlots = new();
    private readonly Queue<(StreamLoopSession Session, bool Upward)> _resumes = new();
    private readonly int _threadId;
    private StreamLoopSession?[] _slots = new StreamLoopSession?[256];
    private int _slotsUsed;
    private uint _generation;

    public StreamEventLoop(int index)
    {
        _epoll = EpollCreate1(EpollCloExec);
        if (_epoll < 0)
        {
            throw new InvalidOperationException($"epoll_create1 failed: errno {LastError}");
        }

        var thread = new Thread(Run) { IsBackground = true, Name = $"stream loop {index}" };
        thread.Start();
        _threadId = thread.ManagedThreadId;
    }

    /// <summary>True on this loop's own thread (where a session's events run).</summary>
    public bool IsCurrentThread => Environment.CurrentManagedThreadId == _threadId;

    /// <summary>The loop's read buffer: only this loop's thread uses it, one read and its sends at a time.</summary>
    public byte* Buffer => _buffer;

    /// <summary>A slot for <paramref name="session"/>: the token its events carry (generation, slot, and a bit for the socket).</summary>
    public ulong Register(StreamLoopSession session)
    {
        lock (_slotsLock)
        {
            if (!_freeSlots.TryPop(out var slot))
            {
                slot = _slotsUsed++;
                if (slot == _slots.Length)
                {
                    var grown = new StreamLoopSession?[_slots.Length * 2];
                    Array.Copy(_slots, grown, _slots.Length);
                    Volatile.Write(ref _slots, grown);
                }
            }

            _slots[slot] = session;
            return ((ulong)++_generation << 32) | ((ulong)(uint)slot << 1);
        }
    }

    /// <summary>Frees the session's slot (this loop's thread): events still queued for it are dropped.</summary>
    public void Unregister(ulong token)
    {
        var slot = SlotOf(token);
        lock (_slotsLock)
        {
            _slots[slot] = null;
            _freeSlots.Push(slot);
        }
    }

    /// <summary>Adds or re-arms (<paramref name="op"/>) <paramref name="fd"/> with <paramref name="data"/>; false when the kernel refused.</summary>
    public bool Watch(int op, int fd, ulong data)
    {
        var ev = new EpollEvent { Events = SessionEvents, Data = data };
        return EpollCtl(_epoll, op, fd, &ev) == 0;
    }

    /// <summary>Goes on reading <paramref name="session"/>'s direction after this wake's other events.</summary>
    public void Resume(StreamLoopSession session, bool upward) => _resumes.Enqueue((session, upward));

    private static int SlotOf(ulong data) => (int)((uint)data >> 1);

    private void Run()
    {
        var events = stackalloc EpollEvent[MaxEvents];
        while (true)
        {
            // Sessions left to resume: look for new events without waiting, then resume them.
            var count = EpollWait(_epoll, events, MaxEvents, _resumes.Count > 0 ? 0 : -1);
            if (count < 0)
            {
                // EINTR (a debugger, a signal): nothing was taken; wait again.
                continue;
            }

            var slots = Volatile.Read(ref _slots);
            for (var i = 0; i < count; i++)
            {
                var data = events[i].Data;
                var slot = SlotOf(data);
                if (slot < slots.Length && slots[slot] is { } session && session.Token == (data & ~1UL))
                {
                    try
                    {
                        session.OnEvent(events[i].Events, upstreamSocket: (data & 1) != 0);
                    }
#pragma warning disable CA1031 // The session's own handler failed to end it (see OnEvent): the loop and its other sessions go on.
                    catch (Exception)
#pragma warning restore CA1031
                    {
                    }
                }
            }

            for (var pending = _resumes.Count; pending > 0; pending--)
            {
                var (session, upward) = _resumes.Dequeue();
                try
                {
                    session.OnResume(upward);
                }
#pragma warning disable CA1031 // As above.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }
        }
    }
}
