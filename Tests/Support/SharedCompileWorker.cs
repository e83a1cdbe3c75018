using Microsoft.Extensions.Logging.Abstractions;
using Slardar.Scriptable.Host.Scripts.Compiler;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>
/// One compile worker for the whole test process, with the default limits but a longer compile
/// timeout: test gateways share it instead of each starting a worker and warming Roslyn up. The
/// whole suite on two cores once kept a module's compile past the default 10 s (and the replaced
/// worker failed the compiles of the tests beside it); no test of the shared worker is about its
/// timeout. Never disposed: the worker ends when its stdin closes, i.e. when the test process does.
/// Tests that kill, stop, limit or time out a worker give their gateway its own (any
/// <c>Scripts:Compiler:*</c> setting does).
/// </summary>
internal static class SharedCompileWorker
{
    private static readonly Lazy<CompileWorker> Worker = new(static () =>
        new CompileWorker(CompilerSettings.Default with { Timeout = TimeSpan.FromSeconds(60) }, TimeProvider.System, NullLogger<CompileWorker>.Instance));

    public static CompileWorker Instance => Worker.Value;
}
