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

    public ScriptRuntime(TimeProvider time, int stackMegabytes = DefaultStackMegabytes, int minThreads = 0, int maxThreads = DefaultMaxThreads, TimeSpan? watchPeriod = null)
    {
        var min = minThreads > 0 ? minThreads : Math.Max(2, Environment.ProcessorCount);
        Threads = new ScriptThreadPool(stackMegabytes, min, Math.Max(min, maxThreads));
        Watchdog = new ScriptWatchdog(time, watchPeriod);
    }

    public ScriptThreadPool Threads { get; }

    public ScriptWatchdog Watchdog { get; }

    public void Dispose()
    {
        Watchdog.Dispose();
        Threads.Dispose();
    }
}
