using Slardar.Scriptable.Host.Configuration;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// The script threads' settings: <c>Scripts:Threads:StackMb</c> (256), <c>Scripts:Threads:Max</c> (64),
/// <c>Scripts:Threads:QueueTimeoutMs</c> (1000) and <c>Scripts:Threads:FirstRunTimeFactor</c> (10).
/// </summary>
internal sealed record ScriptThreadSettings(int StackMegabytes, int MaxThreads, TimeSpan QueueTimeout, int FirstRunTimeFactor = ScriptRuntime.DefaultFirstRunTimeFactor)
{
    public static ScriptThreadSettings FromConfiguration(IConfiguration configuration) => new(
        (int)ConfigurationValues.ReadInteger(configuration, string.Empty, "Scripts:Threads:StackMb", ScriptRuntime.DefaultStackMegabytes, 1, 4096),
        (int)ConfigurationValues.ReadInteger(configuration, string.Empty, "Scripts:Threads:Max", ScriptRuntime.DefaultMaxThreads, 1, 4096),
        TimeSpan.FromMilliseconds(ConfigurationValues.ReadInteger(configuration, string.Empty, "Scripts:Threads:QueueTimeoutMs", (long)ScriptRuntime.DefaultQueueTimeout.TotalMilliseconds, 1, 600_000)),
        (int)ConfigurationValues.ReadInteger(configuration, string.Empty, "Scripts:Threads:FirstRunTimeFactor", ScriptRuntime.DefaultFirstRunTimeFactor, 1, 100));

    // GC pauses are real time: a test's clock has none.
    public ScriptRuntime CreateRuntime(TimeProvider time) => new(
        time, StackMegabytes, maxThreads: MaxThreads, queueTimeout: QueueTimeout, firstRunTimeFactor: FirstRunTimeFactor,
        pauses: ReferenceEquals(time, TimeProvider.System) ? GC.GetTotalPauseDuration : null);
}
