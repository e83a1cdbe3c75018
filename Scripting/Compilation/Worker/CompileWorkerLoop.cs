using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.CodeAnalysis.CSharp;

namespace Slardar.Scriptable.Scripting.Compilation.Worker;

/// <summary>
/// The compile worker's side: the gateway binary started with <see cref="Argument"/> runs this instead
/// of the gateway. It warms Roslyn, says <see cref="WorkerFrameType.Ready"/>, then turns compile
/// frames from stdin into reply frames on stdout until stdin ends (the gateway is gone). Compiles run
/// concurrently on a fixed set of threads with a large stack, so Roslyn's recursion over a deep tree
/// has room; each is canceled at its wall-time limit and its tree depth is checked before binding.
/// Whatever still kills this process (a deeper stack overflow, a hard out-of-memory) kills only the
/// worker: the gateway fails that compile and starts another worker.
/// </summary>
internal sealed class CompileWorkerLoop
{
    public const string Argument = "--compile-worker";

    /// <summary>Stack reserved per compile thread (virtual; only what Roslyn touches is committed).</summary>
    public const int StackBytes = 256 * 1024 * 1024;

    private readonly ScriptCompiler _compiler;
    private readonly Stream _output;
    private readonly TextWriter _log;
    private readonly BlockingCollection<WorkerCompileRequest> _queue = [];
    private readonly Lock _writeLock = new();

    public CompileWorkerLoop(ScriptCompiler compiler, Stream output, TextWriter log)
    {
        _compiler = compiler;
        _output = output;
        _log = log;
    }

    /// <summary>The process entry: <c>--compile-worker [--concurrency N]</c>.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var concurrency = args is [.., "--concurrency", var n] && int.TryParse(n, CultureInfo.InvariantCulture, out var parsed) && parsed > 0
            ? parsed
            : Environment.ProcessorCount;
        var log = new StreamWriter(Console.OpenStandardError()) { AutoFlush = true };
        var loop = new CompileWorkerLoop(new ScriptCompiler(), Console.OpenStandardOutput(), log);
        return await loop.RunAsync(Console.OpenStandardInput(), concurrency);
    }

    public async Task<int> RunAsync(Stream input, int concurrency)
    {
        var started = Stopwatch.GetTimestamp();
        await _compiler.WarmUpAsync();
        for (var i = 0; i < concurrency; i++)
        {
            new Thread(Work, StackBytes) { IsBackground = true, Name = $"compile-{i}" }.Start();
        }

        Write(WorkerFrame.Encode(WorkerFrameType.Ready, static _ => { }));
        _log.WriteLine($"compile worker {Environment.ProcessId} ready in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:F0} ms: {concurrency} compile threads, references from {_compiler.References.Source}");
        while (await WorkerFrame.ReadAsync(input) is { } frame)
        {
            if (frame.Type == WorkerFrameType.Compile)
            {
                _queue.Add(WorkerCompileRequest.Decode(frame));
            }
        }

        // stdin ended: the gateway stopped or died. Compiles in flight have no one to answer to.
        _queue.CompleteAdding();
        return 0;
    }

    private void Work()
    {
        foreach (var request in _queue.GetConsumingEnumerable())
        {
            Write(Compile(request).Encode());
        }
    }

    private WorkerCompileReply Compile(WorkerCompileRequest request)
    {
        using var timeout = new CancellationTokenSource(request.Timeout);
        try
        {
            var tree = CSharpSyntaxTree.ParseText(request.Source, ScriptCompiler.ParseOptions, request.Path, cancellationToken: timeout.Token);
            if (SyntaxDepth.FindDeeperThan(tree.GetRoot(timeout.Token), request.MaxNestingDepth, timeout.Token) is { } deep)
            {
                var line = deep.Node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                return WorkerCompileReply.Refused(request.Id, WorkerOutcome.TooDeep, $"its syntax nests more than {request.MaxNestingDepth} levels deep (at line {line})");
            }

            foreach (var module in request.Modules)
            {
                var moduleTree = CSharpSyntaxTree.ParseText(module.Source, ScriptCompiler.ParseOptions, module.Path, cancellationToken: timeout.Token);
                if (SyntaxDepth.FindDeeperThan(moduleTree.GetRoot(timeout.Token), request.MaxNestingDepth, timeout.Token) is { } deepModule)
                {
                    var line = deepModule.Node.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                    return WorkerCompileReply.Refused(request.Id, WorkerOutcome.TooDeep, $"module {module.Name} nests more than {request.MaxNestingDepth} levels deep (at line {line})");
                }
            }

            return WorkerCompileReply.From(request.Id, _compiler.Compile(request.ToCompileRequest(), timeout.Token));
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return WorkerCompileReply.Refused(request.Id, WorkerOutcome.TimedOut, "canceled at the time limit");
        }
        catch (InsufficientExecutionStackException)
        {
            return WorkerCompileReply.Refused(request.Id, WorkerOutcome.TooDeep, "the compiler ran out of stack on its nesting");
        }
        catch (OutOfMemoryException)
        {
            return WorkerCompileReply.Refused(request.Id, WorkerOutcome.OutOfMemory, "out of memory");
        }
        catch (Exception exception)
        {
            // A compiler bug on this source: an error for its author, not a dead worker.
            var failure = new ScriptDiagnostic(0, 0, "SLS0107", $"the compiler failed on this source: {exception.GetType().Name}: {exception.Message}", ScriptDiagnostic.Error);
            return new WorkerCompileReply(request.Id, WorkerOutcome.Failed, string.Empty, [], [], [failure]);
        }
    }

    private void Write(byte[] frame)
    {
        lock (_writeLock)
        {
            _output.Write(frame);
            _output.Flush();
        }
    }
}
