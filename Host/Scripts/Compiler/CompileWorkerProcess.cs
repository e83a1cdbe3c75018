using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Slardar.Scriptable.Scripting.Compilation.Worker;

namespace Slardar.Scriptable.Host.Scripts.Compiler;

/// <summary>
/// One compile worker process: frames to its stdin, replies matched by id from its stdout, its stderr
/// into the gateway's log. When it dies, every compile it had not answered completes with null and
/// <see cref="Exited"/> says how it ended.
/// </summary>
internal sealed partial class CompileWorkerProcess
{
    private readonly Process _process;
    private readonly ILogger _logger;
    private readonly Channel<byte[]> _frames = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<long, TaskCompletionSource<WorkerCompileReply?>> _pending = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<WorkerExit> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _killed;
    private long _nextId;

    private CompileWorkerProcess(Process process, ILogger logger)
    {
        _process = process;
        _logger = logger;
        Id = process.Id;
    }

    public int Id { get; }

    public Task<WorkerExit> Exited => _exited.Task;

    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Alive and not being killed: new compiles may go to it.</summary>
    public bool IsUsable => !_killed && !HasExited;

    public static CompileWorkerProcess Start(CompilerSettings settings, ILogger logger)
    {
        var process = Process.Start(CompileWorkerLaunch.StartInfo(settings))
            ?? throw new InvalidOperationException("the compile worker process did not start");
        var worker = new CompileWorkerProcess(process, logger);
        process.ErrorDataReceived += (_, line) =>
        {
            if (line.Data is { Length: > 0 } text)
            {
                Log.WorkerSaid(logger, worker.Id, text);
            }
        };
        process.BeginErrorReadLine();
        _ = worker.ReadAsync();
        _ = worker.WriteAsync();
        return worker;
    }

    /// <summary>Completes when Roslyn is warm in the worker; throws when it died first or took longer than <paramref name="bound"/>.</summary>
    public async Task WaitReadyAsync(TimeSpan bound, TimeProvider time, CancellationToken cancellationToken)
    {
        await Task.WhenAny(_ready.Task, _exited.Task).WaitAsync(bound, time, cancellationToken);
        if (!_ready.Task.IsCompleted)
        {
            var exit = await _exited.Task;
            throw new InvalidOperationException($"the compile worker exited with code {exit.ExitCode} before it was ready");
        }
    }

    /// <summary>The worker's reply, or null when it died first.</summary>
    public async Task<WorkerCompileReply?> CompileAsync(Func<long, WorkerCompileRequest> request)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<WorkerCompileReply?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        if (HasExited)
        {
            _pending.TryRemove(id, out _);
            return null;
        }

        // After the worker died the frame just stays in the channel; the reader has completed the reply with null.
        _frames.Writer.TryWrite(request(id).Encode());
        return await reply.Task;
    }

    /// <summary>Kills the worker; its compiles in flight complete with null (and are not blamed for it).</summary>
    public void Kill()
    {
        _killed = true;
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    // One writer, so frames never interleave on the pipe.
    private async Task WriteAsync()
    {
        var input = _process.StandardInput.BaseStream;
        try
        {
            await foreach (var frame in _frames.Reader.ReadAllAsync())
            {
                await input.WriteAsync(frame);
                await input.FlushAsync();
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The pipe broke: the worker is dying, and the reader completes what it had not answered.
        }
    }

    private async Task ReadAsync()
    {
        var output = _process.StandardOutput.BaseStream;
        try
        {
            while (await WorkerFrame.ReadAsync(output) is { } frame)
            {
                if (frame.Type == WorkerFrameType.Ready)
                {
                    _ready.TrySetResult();
                }
                else if (frame.Type == WorkerFrameType.Reply)
                {
                    var reply = WorkerCompileReply.Decode(frame);
                    if (_pending.TryRemove(reply.Id, out var waiting))
                    {
                        waiting.TrySetResult(reply);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or EndOfStreamException)
        {
            Log.BrokenStream(_logger, Id, ex.Message);
            _killed = true;
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
        var exit = new WorkerExit(_process.ExitCode, _killed, _pending.Count);
        _process.Dispose();
        if (exit.KilledByGateway)
        {
            Log.Stopped(_logger, Id, exit.InFlight);
        }
        else
        {
            Log.Died(_logger, Id, exit.ExitCode, exit.InFlight);
        }

        _frames.Writer.TryComplete();
        _exited.TrySetResult(exit);
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var waiting))
            {
                waiting.TrySetResult(null);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "compile worker {Pid}: {Line}")]
        public static partial void WorkerSaid(ILogger logger, int pid, string line);

        [LoggerMessage(2, LogLevel.Error, "Compile worker {Pid} died (exit code {ExitCode}) with {InFlight} compiles in flight; serving is not affected, the next compile starts another")]
        public static partial void Died(ILogger logger, int pid, int exitCode, int inFlight);

        [LoggerMessage(3, LogLevel.Warning, "Compile worker {Pid} stopped by the gateway with {InFlight} compiles in flight")]
        public static partial void Stopped(ILogger logger, int pid, int inFlight);

        [LoggerMessage(4, LogLevel.Error, "Compile worker {Pid} wrote a broken stream, killing it: {Reason}")]
        public static partial void BrokenStream(ILogger logger, int pid, string reason);
    }
}
