using System.Globalization;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// Where one script change spent its time: the compile (in the worker, IPC and the image guard
/// included), the durable write, and loading the new generation (its context, and the JIT of its
/// methods). The admin API answers it as a Server-Timing header; the reload bench reads it.
/// </summary>
internal readonly record struct ScriptChangeTiming(TimeSpan Compile, TimeSpan Store, TimeSpan Load)
{
    /// <summary>The Server-Timing header's value (durations in milliseconds).</summary>
    public string ToServerTiming() => string.Create(
        CultureInfo.InvariantCulture,
        $"compile;dur={Compile.TotalMilliseconds:F1}, store;dur={Store.TotalMilliseconds:F1}, load;dur={Load.TotalMilliseconds:F1}");
}
