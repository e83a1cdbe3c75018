using Microsoft.Extensions.Logging.Abstractions;
using Slardar.Scriptable.Host.Scripts.Compiler;

namespace Slardar.Scriptable.Tests.Support;

/// <summary>
/// One compile worker for the whole test process, with the default limits: test gateways share it
/// instead of each starting a worker and warming Roslyn up. Never disposed: the worker ends when its
/// stdin closes, i.e. when the test process does. Tests that kill, stop or limit a worker give their
/// gateway its own (any <c>Scripts:Compiler:*</c> setting does).
/// </summary>
internal static class SharedCompileWorker
{
    private static readonly Lazy<CompileWorker> Worker = new(static () =>
        new CompileWorker(CompilerSettings.Default, TimeProvider.System, NullLogger<CompileWorker>.Instance));

    public static CompileWorker Instance => Worker.Value;
}
