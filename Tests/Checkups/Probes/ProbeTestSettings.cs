using Slardar.Scriptable.Host.Checkups.Probes;

namespace Slardar.Scriptable.Tests.Checkups.Probes;

internal static class ProbeTestSettings
{
    /// <summary>
    /// Default settings with a budget no loaded test machine runs out of: for tests of what a probe
    /// makes of an answer. The scripted peers live in the test process, which on 2 busy cores once
    /// took longer than the default 5 s to answer. Timeouts have tests of their own.
    /// </summary>
    public static readonly ProbeSettings Patient = ProbeSettings.Default with { Timeout = TimeSpan.FromSeconds(60) };
}
