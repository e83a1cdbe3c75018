namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// Where script invocations run in the gateway: on the <see cref="ScriptThreadPool"/>'s big-stack
/// threads, watched by one <see cref="ScriptWatchdog"/>. A generation loaded without one runs its
/// scripts on the caller's thread (tests, tools).
/// </summary>
internal sealed class ScriptRuntime : IDisposable
{
    /// <summary>256 MiB: 300,000 levels of library recursion (a LINQ chain) fit with room to spare.</summary>
    public const int DefaultStackMegabytes = 256;

    /// <summary>Threads beyond the minimum are added only while scripts are stuck in library calls.</summary>
    public const int DefaultMaxThreads = 64;

    /// <summary>
    /// 1 s: how long an invocation may wait for a script thread before the request is answered 503
    /// (the script not run). Far above a healthy wait (microseconds), far below a client's patience.
    /// </summary>
    public static readonly TimeSpan DefaultQueueTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// 10: a version's invocations that start before its first one has ended get ten times the time
    /// budget. They pay for the JIT of the generic code their script instantiates and the first use
    /// of what it calls (a Regex's construction, a LINQ chain), which on a busy machine alone can
    /// outlast a 50 ms budget. Ticks and allocation are not relaxed: a runaway loop still stops there.
    /// </summary>
    public const int DefaultFirstRunTimeFactor = 10;

    /// <param name="queueTimeout">Bound of the wait for a script thread; <see cref="DefaultQueueTimeout"/> when null.</param>
    /// <param name="firstRunTimeFactor">Time budget multiplier of a version's first invocations (see <see cref="DefaultFirstRunTimeFactor"/>); 1 = none.</param>
    /// <param name="pauses">The process's pause time so far for the watchdog's stall excuse (see <see cref="ScriptWatchdog"/>); null: none.</param>
    public ScriptRuntime(TimeProvider time, int stackMegabytes = DefaultStackMegabytes, int minThreads = 0, int maxThreads = DefaultMaxThreads, TimeSpan? watchPeriod = null, TimeSpan? queueTimeout = null, int firstRunTimeFactor = 1, Func<TimeSpan>? pauses = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(firstRunTimeFactor, 1);
        FirstRunTimeFactor = firstRunTimeFactor;
        var min = minThreads > 0 ? minThreads : Math.Max(2, Environment.ProcessorCount);
        QueueTimeout = queueTimeout ?? DefaultQueueTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(QueueTimeout, TimeSpan.Zero);
        Threads = new ScriptThreadPool(stackMegabytes, min, Math.Max(min, maxThreads));
        Watchdog = new ScriptWatchdog(time, watchPeriod, pauses);
    }

    public ScriptThreadPool Threads { get; }

    /// <summary>How long an invocation may wait for a script thread (the watchdog enforces it); its budget starts after.</summary>
    public TimeSpan QueueTimeout { get; }

    public ScriptWatchdog Watchdog { get; }

    /// <summary>Time budget multiplier of a version's first invocations; 1 = none.</summary>
    public int FirstRunTimeFactor { get; }

    public void Dispose()
    {
        Watchdog.Dispose();
        Threads.Dispose();
    }
}
