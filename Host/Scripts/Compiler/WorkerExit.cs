namespace Slardar.Scriptable.Host.Scripts.Compiler;

/// <summary>How a worker process ended.</summary>
/// <param name="KilledByGateway">The gateway killed it (timeout, memory, shutdown): its compiles in flight are not to blame.</param>
/// <param name="InFlight">Compiles it had not answered when it died.</param>
internal sealed record WorkerExit(int ExitCode, bool KilledByGateway, int InFlight)
{
    private const int KilledBySigKill = 128 + 9;

    /// <summary>
    /// The one compile in flight crashed it: the worker died by itself (a stack overflow aborts with
    /// 134, an unhandled exception with its own code) with nothing else to blame. A SIGKILL from
    /// outside (an operator, the kernel's OOM killer) blames no source.
    /// </summary>
    public bool BlamesTheOneInFlight => InFlight == 1 && !KilledByGateway && ExitCode != KilledBySigKill;
}
