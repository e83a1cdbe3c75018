using Shouldly;
using Slardar.Scriptable.Host.Scripts.Compiler;

namespace Slardar.Scriptable.Tests.Scripts.Compiler;

public sealed class WorkerExitTests
{
    [Theory]
    [InlineData(134, false, 1, true)] // stack overflow: abort with one compile in flight
    [InlineData(140, false, 1, true)]
    [InlineData(134, false, 2, false)] // two in flight: either may have done it
    [InlineData(137, false, 1, false)] // SIGKILL from outside (operator, OOM killer)
    [InlineData(137, true, 1, false)] // the gateway killed it (timeout, memory, shutdown)
    [InlineData(134, false, 0, false)]
    public void BlamesTheOneInFlight_OnlyWhenItDiedByItselfUnderOneCompile(int exitCode, bool killedByGateway, int inFlight, bool blamed) =>
        new WorkerExit(exitCode, killedByGateway, inFlight).BlamesTheOneInFlight.ShouldBe(blamed);
}
