using System.Reflection;
using System.Runtime.InteropServices;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Scripting.Loading;

/// <summary>
/// One loaded version of a script: its collectible load context, a factory delegate for the
/// generated class (reflection runs once, at load), and the count of invocations in flight.
/// <para>
/// Hot swap: publish the new generation, then <see cref="Retire"/> the old one. Invocations that
/// started on it finish on it; when the last one ends (or at once when none runs) the context is
/// unloaded and handed to the <see cref="ScriptGenerationTracker"/>. The context is collected once
/// the host drops its references to this object.
/// </para>
/// </summary>
internal sealed class ScriptGeneration
{
    private readonly ScriptLoadContext _context;
    private readonly Assembly _assembly;
    private readonly Func<RequestScript>? _requestFactory;
    private readonly Func<BalancerScript>? _balancerFactory;
    private readonly ScriptGenerationTracker? _tracker;
    private readonly TimeProvider _time;
    private readonly IScriptConfig? _config;
    private readonly IScriptServices? _services;
    private readonly ScriptRuntime? _runtime;
    private readonly Action<object?> _runOnScriptThread;

    // Module code charges the budget it finds in the flow (ScriptModuleHooks): set only when there is module code.
    private readonly bool _hasModules;
    private int _inFlight;
    private int _retired;
    private int _unloaded;
    private int _warm;

    private ScriptGeneration(
        CompiledScript script,
        ScriptLoadContext context,
        Assembly assembly,
        Delegate factory,
        ScriptCounters counters,
        ScriptGenerationTracker? tracker,
        TimeProvider time,
        IScriptConfig? config,
        ScriptRuntime? runtime,
        IScriptServices? services)
    {
        Name = script.AssemblyName;
        Phase = script.Phase;
        Limits = script.Limits;
        Counters = counters;
        _context = context;
        _assembly = assembly;
        _requestFactory = factory as Func<RequestScript>;
        _balancerFactory = factory as Func<BalancerScript>;
        _tracker = tracker;
        _time = time;
        _config = config;
        _services = services;
        _runtime = runtime;
        _runOnScriptThread = RunOnScriptThread;
        _hasModules = script.Modules.Length > 0;
    }

    /// <summary>The script's assembly name: phase and content hash.</summary>
    public string Name { get; }

    public ScriptPhase Phase { get; }

    /// <summary>The limits an invocation runs with unless the caller gives others.</summary>
    public ScriptLimits Limits { get; }

    public ScriptCounters Counters { get; }

    public int InFlight => Volatile.Read(ref _inFlight);

    public bool IsRetired => Volatile.Read(ref _retired) != 0;

    public bool IsUnloaded => Volatile.Read(ref _unloaded) != 0;

    /// <summary>Loads <paramref name="script"/> into a new collectible context.</summary>
    /// <param name="counters">The script's counters, kept by the host across generations; new ones when null.</param>
    /// <param name="tracker">Told about the context once it is unloaded.</param>
    /// <param name="time">Clock of the budgets and durations; the system clock when null.</param>
    /// <param name="config">What the script's <c>Config</c> reads; every key absent when null.</param>
    /// <param name="runtime">Script threads and watchdog; invocations run on the caller's thread when null.</param>
    /// <param name="services">What the script's <c>Cache</c>, <c>Redis</c> and <c>Limit</c> use; unavailable when null.</param>
    public static ScriptGeneration Load(CompiledScript script, ScriptCounters? counters = null, ScriptGenerationTracker? tracker = null, TimeProvider? time = null, IScriptConfig? config = null, ScriptRuntime? runtime = null, IScriptServices? services = null)
    {
        ArgumentNullException.ThrowIfNull(script);
        var context = new ScriptLoadContext(script.AssemblyName);
        try
        {
            Assembly assembly;
            using (var image = new MemoryStream(ImmutableCollectionsMarshal.AsArray(script.Image)!, writable: false))
            using (var pdb = new MemoryStream(ImmutableCollectionsMarshal.AsArray(script.Pdb)!, writable: false))
            {
                assembly = context.LoadFromStream(image, pdb);
            }

            var type = assembly.GetType(ScriptTemplate.ClassName, throwOnError: true)!;
            var create = type.GetMethod(ScriptTemplate.FactoryName, BindingFlags.Public | BindingFlags.Static)
                ?? throw new InvalidOperationException($"{script.AssemblyName} has no {ScriptTemplate.FactoryName} method.");
            Delegate factory = ScriptPhases.Of(script.Phase).IsAsync
                ? create.CreateDelegate<Func<RequestScript>>()
                : create.CreateDelegate<Func<BalancerScript>>();
            return new ScriptGeneration(script, context, assembly, factory, counters ?? new ScriptCounters(), tracker, runtime?.Watchdog.Time ?? time ?? TimeProvider.System, config, runtime, services);
        }
        catch
        {
            context.Unload();
            throw;
        }
    }

    /// <summary>
    /// Runs a rewrite or auth script for one request. Never throws for what the script does: a
    /// script exception, a budget overrun and an aborted request all come back as the outcome. With a
    /// <see cref="ScriptRuntime"/> the script runs on a script thread and the outcome is there at the
    /// deadline at the latest, whatever the script's thread is doing.
    /// </summary>
    public ValueTask<ScriptOutcome> RunAsync(ScriptRequestContext context, ScriptLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        _ = _requestFactory ?? throw new InvalidOperationException($"{Name} is a {Phase} script: run it with Run(context, turn, ...).");
        return _runtime is null
            ? RunInlineAsync(context, null, limits ?? Limits, cancellationToken)
            : Dispatch(context, null, limits ?? Limits, cancellationToken);
    }

    /// <summary>Runs a balancer script for one try, on a script thread when the generation has a runtime; the script's choices land in <paramref name="turn"/>.</summary>
    public ValueTask<ScriptOutcome> RunAsync(ScriptRequestContext context, BalancerTurn turn, ScriptLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(turn);
        _ = _balancerFactory ?? throw new InvalidOperationException($"{Name} is a {Phase} script: run it with RunAsync(context, ...).");
        return _runtime is null
            ? RunInlineAsync(context, turn, limits ?? Limits, cancellationToken)
            : Dispatch(context, turn, limits ?? Limits, cancellationToken);
    }

    /// <summary>Runs a balancer script for one try on the calling thread; the script's choices land in <paramref name="turn"/>.</summary>
    public ScriptOutcome Run(ScriptRequestContext context, BalancerTurn turn, ScriptLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(turn);
        _ = _balancerFactory ?? throw new InvalidOperationException($"{Name} is a {Phase} script: run it with RunAsync(context, ...).");

        // A balancer script is synchronous: the inline run has ended when it returns.
        var pending = RunInlineAsync(context, turn, limits ?? Limits, cancellationToken);
        return pending.IsCompleted ? pending.Result : pending.AsTask().GetAwaiter().GetResult();
    }

    /// <summary>
    /// Takes the generation out of service: its context is unloaded once no invocation is running on
    /// it. Idempotent.
    /// </summary>
    public void Retire()
    {
        if (Interlocked.Exchange(ref _retired, 1) != 0)
        {
            return;
        }

        // Paired with Release: each side writes its own variable with a full fence before reading the
        // other's, so at least one of them sees both "retired" and "nothing in flight".
        if (Volatile.Read(ref _inFlight) == 0)
        {
            Unload();
        }
    }

    // Without a runtime (tests, tools): on the caller's thread, one way for both kinds of phase.
    private async ValueTask<ScriptOutcome> RunInlineAsync(ScriptRequestContext context, BalancerTurn? turn, ScriptLimits limits, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        var budget = new ScriptBudget(limits, _time, cancellationToken);
        var outcome = default(ScriptOutcome);
        try
        {
            var startedAt = _time.GetTimestamp();
            outcome = turn is null
                ? await ExecuteAsync(_requestFactory!, context, budget, startedAt, watched: false, cancellationToken)
                : Execute(_balancerFactory!, context, turn, budget, startedAt, cancellationToken);
        }
        finally
        {
            Counters.Record(outcome.Status, outcome.Elapsed);
            Release();
        }

        return outcome;
    }

    // The request awaits the invocation, which the flow or the watchdog completes; the flow keeps the
    // generation in flight (loaded) until it really ends, even after the watchdog answered for it.
    private ValueTask<ScriptOutcome> Dispatch(ScriptRequestContext context, BalancerTurn? turn, ScriptLimits limits, CancellationToken cancellationToken)
    {
        var runtime = _runtime!;
        if (runtime.FirstRunTimeFactor > 1 && Volatile.Read(ref _warm) == 0 && limits.MaxDuration != Timeout.InfiniteTimeSpan)
        {
            // Before the version's first invocation has ended, the JIT and first use are part of the run.
            limits = limits with { MaxDuration = limits.MaxDuration * runtime.FirstRunTimeFactor };
        }

        Interlocked.Increment(ref _inFlight);
        var invocation = new ScriptInvocation(limits, context, turn, Counters, _time, runtime.QueueTimeout, cancellationToken);
        try
        {
            runtime.Watchdog.Watch(invocation);
            // A task, not a bare work item: the script's awaits resume on the scheduler that runs it (TaskScheduler.Current).
            new Task(_runOnScriptThread, invocation, CancellationToken.None, TaskCreationOptions.DenyChildAttach).Start(runtime.Threads);
        }
        catch
        {
            runtime.Watchdog.Unwatch(invocation);
            Release();
            throw;
        }

        return invocation.Outcome;
    }

    // On a script thread. Awaits inside the script resume on script threads (the task's scheduler).
    private void RunOnScriptThread(object? state)
    {
        var invocation = (ScriptInvocation)state!;
        if (invocation.Begin() is not { } budget)
        {
            // Answered while it waited for this thread (queue timeout, request gone): the script does not run.
            Release();
            return;
        }

        if (invocation.Turn is { } turn)
        {
            Finish(invocation, Execute(_balancerFactory!, invocation.Context, turn, budget, invocation.StartedAt, invocation.Cancellation));
            return;
        }

        var pending = ExecuteAsync(_requestFactory!, invocation.Context, budget, invocation.StartedAt, watched: true, invocation.Cancellation);
        if (pending.IsCompleted)
        {
            Finish(invocation, pending.Result);
        }
        else
        {
            _ = FinishLaterAsync(invocation, pending);
        }
    }

    private async Task FinishLaterAsync(ScriptInvocation invocation, ValueTask<ScriptOutcome> pending) => Finish(invocation, await pending);

    private void Finish(ScriptInvocation invocation, ScriptOutcome outcome)
    {
        invocation.Complete(outcome);
        _runtime!.Watchdog.Unwatch(invocation);
        Release();
    }

    private ScriptOutcome Execute(Func<BalancerScript> factory, ScriptRequestContext context, BalancerTurn turn, ScriptBudget budget, long startedAt, CancellationToken cancellationToken)
    {
        var outer = _hasModules ? ScriptModuleHooks.Enter(budget) : null;
        try
        {
            var script = factory();
            script.Bind(context, budget, _config, _services);
            script.BindTurn(turn);
            var result = script.Invoke();
            return Completed(result, budget, startedAt);
        }
        catch (Exception exception)
        {
            return ScriptFailures.ToOutcome(exception, budget, _assembly, _time.GetElapsedTime(startedAt), cancellationToken);
        }
        finally
        {
            if (_hasModules)
            {
                ScriptModuleHooks.Enter(outer);
            }
        }
    }

    /// <param name="watched">The watchdog answers at the deadline; otherwise an await is bounded here.</param>
    private async ValueTask<ScriptOutcome> ExecuteAsync(Func<RequestScript> factory, ScriptRequestContext context, ScriptBudget budget, long startedAt, bool watched, CancellationToken cancellationToken)
    {
        try
        {
            // Set inside this async method: the value flows into the script's awaits and is undone when it returns.
            if (_hasModules)
            {
                ScriptModuleHooks.Enter(budget);
            }

            var script = factory();
            script.Bind(context, budget, _config, _services);
            var pending = script.InvokeAsync();
            var result = pending.IsCompleted ? pending.Result
                : watched ? await pending
                : await WaitAsync(pending, budget, cancellationToken);
            return Completed(result, budget, startedAt);
        }
        catch (Exception exception)
        {
            return ScriptFailures.ToOutcome(exception, budget, _assembly, _time.GetElapsedTime(startedAt), cancellationToken);
        }
    }

    // A script that awaits something that never completes must not hold its request forever: the
    // wait ends at the budget's deadline or when the request is aborted. The script's own flow is then
    // abandoned; its budget is marked exceeded, so it stops at its next loop turn or call if it resumes.
    private async Task<ScriptResult> WaitAsync(ValueTask<ScriptResult> pending, ScriptBudget budget, CancellationToken cancellationToken)
    {
        var task = pending.AsTask();
        try
        {
            return await task.WaitAsync(budget.Remaining, _time, cancellationToken);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            Abandon(task);
            budget.MarkExceeded(BudgetLimit.Duration);
            throw budget.CreateException(BudgetLimit.Duration);
        }
        catch (OperationCanceledException) when (!task.IsCompleted)
        {
            Abandon(task);
            throw;
        }
    }

    private ScriptOutcome Completed(ScriptResult result, ScriptBudget budget, long startedAt)
    {
        var elapsed = _time.GetElapsedTime(startedAt);

        // The script caught the budget exception and returned anyway: it still ran over.
        if (budget.Enforced && budget.Exceeded is { } limit)
        {
            var failure = new ScriptFailure(typeof(ScriptBudgetExceededException).FullName!, budget.Describe(limit), budget.ExceededAtLine, limit);
            return new ScriptOutcome(ScriptFailures.StatusOf(limit), default, failure, elapsed);
        }

        return new ScriptOutcome(ScriptRunStatus.Completed, result, null, elapsed);
    }

    private void Release()
    {
        Volatile.Write(ref _warm, 1);
        if (Interlocked.Decrement(ref _inFlight) == 0 && Volatile.Read(ref _retired) != 0)
        {
            Unload();
        }
    }

    private void Unload()
    {
        if (Interlocked.Exchange(ref _unloaded, 1) != 0)
        {
            return;
        }

        _context.Unload();
        _tracker?.Track(Name, _context);
    }

    // Observes the abandoned flow's eventual exception so it is not reported as unobserved.
    private static void Abandon(Task task) =>
        task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
}
