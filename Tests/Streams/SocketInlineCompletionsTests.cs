using Shouldly;
using Slardar.Scriptable.Host.Streams;

namespace Slardar.Scriptable.Tests.Streams;

/// <summary>Plain stream sessions on the runtime's sockets can run their continuations on the socket event thread (each setting copies alike: StreamEventLoopTests).</summary>
public sealed class SocketInlineCompletionsTests
{
    [Fact]
    public void IsAvailable_OnThisRuntime_TheRuntimesPerSocketSwitchIsFound()
    {
        // The stream figures in docs/BENCHMARKS.md depend on it; a runtime without it proxies on, a hop slower.
        SocketInlineCompletions.IsAvailable.ShouldBeTrue();
    }
}
