using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Compilation.Worker;

namespace Slardar.Scriptable.Host.Scripts.Compiler;

/// <summary>
/// The gateway's compiler: a supervised child process (<see cref="CompileWorkerProcess"/>) holding
/// Roslyn, so that nothing a source does to the compiler (a stack overflow, minutes of binding, a
/// gigabyte of memory) happens in the process that serves. Per compile: the source limits, checked
/// here first; a slot (at most <see cref="CompilerSettings.Concurrency"/> in flight, the worker's
/// thread count) with a bounded queue in front; the wall-time limit (the worker cancels; a worker that
/// does not come back canceled in time is killed); then the image guard on the image the worker sent.
/// <para>
/// When the worker dies, the one compile in flight that crashed it is refused as such; compiles that
/// were merely in flight on it are retried once, alone on the new worker, so a second crash names the
/// culprit. A worker that does not answer a compile past its time limit, or that ran out of memory, is
/// replaced too: it may still be busy or bloated. A new worker starts on the next compile.
/// </para>
/// One per gateway in production; tests share one per test process.
/// </summary>
internal sealed partial class CompileWorker : IAsyncDisposable
{
    private static readonly TimeSpan StartBound = TimeSpan.FromSeconds(120);

    private readonly TimeProvider _time;
    private readonly ILogger<CompileWorker> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly SemaphoreSlim _alone = new(1, 1);
    private readonly SemaphoreSlim _startLock = new(1, 1);
    private CompileWorkerProcess? _current;
    private int _waiting;
    private int _starts;
    private bool _disposed;

    public CompileWorker(CompilerSettings settings, TimeProvider time, ILogger<CompileWorker> logger)
    {
        Settings = settings;
        _time = time;
        _logger = logger;
        _slots = new SemaphoreSlim(settings.Concurrency, settings.Concurrency);
    }

    public CompilerSettings Settings { get; }

    /// <summary>The live worker's process id, if one runs.</summary>
    public int? ProcessId => _current is { IsUsable: true } current ? current.Id : null;

    /// <summary>Worker processes started so far.</summary>
    public int Starts => Volatile.Read(ref _starts);

    /// <summary>Compiles waiting for a slot.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Compiles sent to the worker and not answered yet.</summary>
    public int InFlight => Settings.Concurrency - _slots.CurrentCount;

    /// <summary>Starts a worker (Roslyn warms up in it) unless one runs.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default) => await EnsureWorkerAsync(cancellationToken);

    /// <summary>As <see cref="StartAsync"/>, not awaited: a worker that fails to start is logged, and the next compile tries again.</summary>
    public void StartInBackground() => _ = Task.Run(async () =>
    {
        try
        {
            await StartAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or ObjectDisposedException or System.ComponentModel.Win32Exception)
        {
            Log.StartFailed(_logger, ex.Message);
        }
    });

    /// <param name="refusable">Admin API compiles are refused when the queue is full; start-up and file compiles wait their turn.</param>
    public async Task<ScriptCompileResult> CompileAsync(ScriptCompileRequest request, bool refusable, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SourceLimits.Check(request, Settings) is { } refusal)
        {
            return ScriptCompileResult.Refused(refusal);
        }

        if (!_slots.Wait(0, CancellationToken.None))
        {
            if (Interlocked.Increment(ref _waiting) > Settings.QueueLimit && refusable)
            {
                Interlocked.Decrement(ref _waiting);
                return ScriptCompileResult.Refused(CompileRefusals.QueueFull(Settings));
            }

            try
            {
                await _slots.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
        }

        Attempt first;
        try
        {
            first = await SendAsync(request, cancellationToken);
        }
        finally
        {
            _slots.Release();
        }

        return first.Result ?? await RetryAloneAsync(request, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        await _startLock.WaitAsync();
        try
        {
            _disposed = true;
            _current?.Kill();
            _current = null;
        }
        finally
        {
            _startLock.Release();
        }
    }

    // The worker died under this compile and others: once more with every slot held, so nothing else runs beside it.
    private async Task<ScriptCompileResult> RetryAloneAsync(ScriptCompileRequest request, CancellationToken cancellationToken)
    {
        await _alone.WaitAsync(cancellationToken);
        var held = 0;
        try
        {
            for (; held < Settings.Concurrency; held++)
            {
                await _slots.WaitAsync(cancellationToken);
            }

            var second = await SendAsync(request, cancellationToken);
            return second.Result ?? ScriptCompileResult.Refused(CompileRefusals.Unavailable(
                $"the compile worker was stopped twice while compiling this source (last exit code {second.Exit!.ExitCode})"));
        }
        finally
        {
            if (held > 0)
            {
                _slots.Release(held);
            }

            _alone.Release();
        }
    }

    private async Task<Attempt> SendAsync(ScriptCompileRequest request, CancellationToken cancellationToken)
    {
        CompileWorkerProcess worker;
        try
        {
            worker = await EnsureWorkerAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
        {
            return new(ScriptCompileResult.Refused(CompileRefusals.Unavailable(ex.Message)), null);
        }

        // Not canceled with the caller: a compile sent runs to its answer and holds its slot until then,
        // so a client that hangs up cannot pile compiles up in the worker.
        var pending = worker.CompileAsync(id => new WorkerCompileRequest(
            id, request.Source, request.Phase, request.Path, request.Trusted, Settings.MaxNestingDepth, Settings.Timeout)
        {
            Modules = request.Modules,
            AllModules = request.AllModules,
        });
        WorkerCompileReply? reply;
        try
        {
            reply = await pending.WaitAsync(Settings.Timeout + AnswerGrace, _time, CancellationToken.None);
        }
        catch (TimeoutException)
        {
            Log.NoAnswer(_logger, worker.Id, request.Path, Settings.Timeout.TotalSeconds);
            worker.Kill();
            return new(ScriptCompileResult.Refused(CompileRefusals.TimedOut(Settings, workerReplaced: true)), null);
        }

        if (reply is null)
        {
            var exit = await worker.Exited;
            return exit.BlamesTheOneInFlight
                ? new(ScriptCompileResult.Refused(CompileRefusals.Crashed(exit.ExitCode)), exit)
                : new(null, exit);
        }

        switch (reply.Outcome)
        {
            case WorkerOutcome.Compiled:
                return new(ScriptImageCheck.Admit(request, reply.Image, reply.Pdb, reply.Diagnostics, reply.Modules), null);
            case WorkerOutcome.Failed when reply.Diagnostics.Any(static d => d.IsError):
                return new(ScriptCompileResult.Failed(reply.Diagnostics), null);
            case WorkerOutcome.TooDeep:
                return new(ScriptCompileResult.Refused(CompileRefusals.TooDeep(reply.Message, Settings)), null);
            case WorkerOutcome.TimedOut:
                // Canceled in the worker, whose thread is free again: the worker stays (a replacement
                // would cost every compile in flight on it, and seconds of warm-up).
                Log.TimedOut(_logger, worker.Id, request.Path, Settings.Timeout.TotalSeconds);
                return new(ScriptCompileResult.Refused(CompileRefusals.TimedOut(Settings, workerReplaced: false)), null);
            case WorkerOutcome.OutOfMemory:
                Log.OutOfMemory(_logger, worker.Id, request.Path, Settings.MemoryLimitMb);
                worker.Kill();
                return new(ScriptCompileResult.Refused(CompileRefusals.OutOfMemory(Settings)), null);
            default:
                worker.Kill();
                return new(ScriptCompileResult.Refused(CompileRefusals.Unavailable($"the compile worker answered {reply.Outcome} without an error")), null);
        }
    }

    private async Task<CompileWorkerProcess> EnsureWorkerAsync(CancellationToken cancellationToken)
    {
        if (_current is { IsUsable: true } running)
        {
            return running;
        }

        await _startLock.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_current is { IsUsable: true } started)
            {
                return started;
            }

            var worker = CompileWorkerProcess.Start(Settings, _logger);
            Interlocked.Increment(ref _starts);
            try
            {
                await worker.WaitReadyAsync(StartBound, _time, cancellationToken);
            }
            catch
            {
                worker.Kill();
                throw;
            }

            Log.Started(_logger, worker.Id, Settings.Concurrency, Settings.MemoryLimitMb);
            _current = worker;
            return worker;
        }
        finally
        {
            _startLock.Release();
        }
    }

    // How long past its time limit a compile may take to come back canceled before the worker counts as hung.
    private TimeSpan AnswerGrace => TimeSpan.FromTicks(Math.Clamp(Settings.Timeout.Ticks / 2, TimeSpan.TicksPerSecond, 10 * TimeSpan.TicksPerSecond));

    /// <summary>One send: a result, or null with how the worker ended when it died under a compile not to blame.</summary>
    private sealed record Attempt(ScriptCompileResult? Result, WorkerExit? Exit);

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Compile worker {Pid} ready ({Concurrency} compile threads, memory limit {MemoryLimitMb} MB)")]
        public static partial void Started(ILogger logger, int pid, int concurrency, int memoryLimitMb);

        [LoggerMessage(2, LogLevel.Warning, "Compile of {Path} timed out after {Seconds} s in worker {Pid} (canceled there)")]
        public static partial void TimedOut(ILogger logger, int pid, string path, double seconds);

        [LoggerMessage(3, LogLevel.Error, "Compile worker {Pid} did not answer the compile of {Path} within {Seconds} s and a grace period; killing it")]
        public static partial void NoAnswer(ILogger logger, int pid, string path, double seconds);

        [LoggerMessage(5, LogLevel.Error, "Compile worker did not start (the next compile tries again): {Reason}")]
        public static partial void StartFailed(ILogger logger, string reason);

        [LoggerMessage(4, LogLevel.Warning, "Compile of {Path} ran out of the worker's {MemoryLimitMb} MB in worker {Pid}; replacing the worker")]
        public static partial void OutOfMemory(ILogger logger, int pid, string path, int memoryLimitMb);
    }
}
