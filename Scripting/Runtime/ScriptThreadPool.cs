using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;

namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// The threads scripts run on: a task scheduler with its own threads, each with a large stack, so
/// that recursion a script provokes inside library code (a chain of 300,000 LINQ operators) runs out
/// of budget instead of overflowing the stack, which would end the process. Script invocations and
/// their await continuations run here; the request path never does.
/// <para>
/// It starts <see cref="MinThreads"/> threads on demand and, like the thread pool's starvation rule,
/// adds one when work has waited <see cref="StarvationDelay"/> while every thread was busy (a script
/// stuck in a long library call keeps its thread until the call returns), up to
/// <see cref="MaxThreads"/>. Threads above the minimum leave after <see cref="IdleTimeout"/> idle.
/// </para>
/// </summary>
internal sealed class ScriptThreadPool : TaskScheduler, IDisposable
{
    public static readonly TimeSpan StarvationDelay = TimeSpan.FromMilliseconds(50);
    public static readonly TimeSpan IdleTimeout = TimeSpan.FromSeconds(30);

    // Identifies the work item a script thread runs now, or another thread. Unique across threads, so
    // a budget that sees it change knows its flow moved (or other work ran in between).
    [ThreadStatic]
    private static long t_slice;
    [ThreadStatic]
    private static long t_sliceStartAllocated;
    private static long s_slices;

    private readonly ConcurrentQueue<Task> _queue = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly int _stackBytes;
    private readonly Timer _starvation;
    private int _threads;
    private int _idle;
    private int _starvationArmed;
    private long _started;
    private long _startedAtArm;
    private int _disposed;

    public ScriptThreadPool(int stackMegabytes, int minThreads, int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(stackMegabytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(minThreads, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, minThreads);
        _stackBytes = checked(stackMegabytes * 1024 * 1024);
        MinThreads = minThreads;
        MaxThreads = maxThreads;

        // Real time on purpose: growing is about threads that really are stuck, not about a test's clock.
        _starvation = new Timer(static s => ((ScriptThreadPool)s!).OnStarvationCheck(), this, Timeout.Infinite, Timeout.Infinite);
    }

    /// <summary>
    /// The slice of the calling thread: new for each work item on a script thread (positive); on any
    /// other thread a number of its own for its lifetime (negative). One thread-static read.
    /// </summary>
    public static long CurrentSlice => t_slice is var slice and not 0 ? slice : OwnSlice();

    /// <summary>The thread's allocation counter when the current work item started (script threads only).</summary>
    public static long CurrentSliceStartAllocated => t_sliceStartAllocated;

    public int StackMegabytes => _stackBytes / 1024 / 1024;

    public int MinThreads { get; }

    public int MaxThreads { get; }

    public int Threads => Volatile.Read(ref _threads);

    /// <summary>Threads running a work item now.</summary>
    public int Busy => Volatile.Read(ref _threads) - Volatile.Read(ref _idle);

    public int Queued => _queue.Count;

    public override int MaximumConcurrencyLevel => MaxThreads;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _starvation.Dispose();

        // Idle threads wake up and leave; busy ones leave after their work item.
        _signal.Release(Math.Max(1, Volatile.Read(ref _threads)));
    }

    protected override void QueueTask(Task task)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _queue.Enqueue(task);

        // The minimum starts on first use; beyond it only the starvation check adds threads (an idle
        // count read here may be stale, so the check is armed whatever it says; arming is one exchange).
        while (TryStartThread(MinThreads))
        {
        }

        _signal.Release();
        ArmStarvationCheck();
    }

    // A continuation that becomes ready on a script thread still goes through the queue: running it
    // inline would mix its allocations into the slice of whatever runs now.
    protected override bool TryExecuteTaskInline(Task task, bool taskWasPreviouslyQueued) => false;

    [ExcludeFromCodeCoverage]
    protected override IEnumerable<Task> GetScheduledTasks() => _queue.ToArray();

    private static long OwnSlice() => t_slice = -Interlocked.Increment(ref s_slices);

    private bool TryStartThread(int limit)
    {
        while (true)
        {
            var threads = Volatile.Read(ref _threads);
            if (threads >= limit)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _threads, threads + 1, threads) == threads)
            {
                break;
            }
        }

        var thread = new Thread(static s => ((ScriptThreadPool)s!).Work(), _stackBytes)
        {
            IsBackground = true,
            Name = "slardar-script",
        };
        thread.Start(this);
        return true;
    }

    private void ArmStarvationCheck()
    {
        if (Interlocked.Exchange(ref _starvationArmed, 1) == 0)
        {
            Volatile.Write(ref _startedAtArm, Volatile.Read(ref _started));
            _starvation.Change(StarvationDelay, Timeout.InfiniteTimeSpan);
        }
    }

    // Work waited a whole delay while no thread took anything new: every thread is stuck.
    private void OnStarvationCheck()
    {
        Volatile.Write(ref _starvationArmed, 0);
        if (_queue.IsEmpty || Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        if (Volatile.Read(ref _idle) == 0 && Volatile.Read(ref _started) == Volatile.Read(ref _startedAtArm))
        {
            TryStartThread(MaxThreads);
        }

        ArmStarvationCheck();
    }

    private void Work()
    {
        while (Volatile.Read(ref _disposed) == 0)
        {
            Interlocked.Increment(ref _idle);
            var signaled = _signal.Wait(IdleTimeout);
            Interlocked.Decrement(ref _idle);
            if (!signaled)
            {
                if (TryLeave())
                {
                    return;
                }

                continue;
            }

            RunOne();
        }

        Interlocked.Decrement(ref _threads);
    }

    // Its own frame: the dequeued task must not stay in a slot of the idle loop's frame, where it would
    // keep the last script's load context reachable while the thread waits for work.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void RunOne()
    {
        if (_queue.TryDequeue(out var task))
        {
            Interlocked.Increment(ref _started);
            t_slice = Interlocked.Increment(ref s_slices);
            t_sliceStartAllocated = GC.GetAllocatedBytesForCurrentThread();
            TryExecuteTask(task);
            t_slice = 0;
        }
    }

    private bool TryLeave()
    {
        while (true)
        {
            var threads = Volatile.Read(ref _threads);
            if (threads <= MinThreads)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _threads, threads - 1, threads) == threads)
            {
                return true;
            }
        }
    }
}
