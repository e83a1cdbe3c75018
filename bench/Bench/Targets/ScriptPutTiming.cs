using System.Globalization;

namespace Slardar.Scriptable.Bench.Targets;

/// <summary>One script POST as the harness saw it (<see cref="Elapsed"/>) and as the gateway split it (its Server-Timing: compile, store, load; NaN when absent).</summary>
internal sealed record ScriptPutTiming(TimeSpan Elapsed, double CompileMs, double StoreMs, double LoadMs)
{
    public static ScriptPutTiming Parse(TimeSpan elapsed, string? serverTiming)
    {
        double Entry(string name)
        {
            foreach (var part in (serverTiming ?? "").Split(','))
            {
                var fields = part.Trim().Split(";dur=");
                if (fields.Length == 2 && fields[0] == name && double.TryParse(fields[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var ms))
                {
                    return ms;
                }
            }

            return double.NaN;
        }

        return new ScriptPutTiming(elapsed, Entry("compile"), Entry("store"), Entry("load"));
    }
}
