using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

/// <summary>The allocation sites of one type in a .nettrace file: the sampled stacks, most frequent first.</summary>
internal static class Stacks
{
    public static int Print(string traceFile, string typeContains, int frames)
    {
        using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(traceFile));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = 0;
        foreach (var e in log.Events)
        {
            if (e is not GCAllocationTickTraceData tick || !(tick.TypeName ?? "").Contains(typeContains, StringComparison.Ordinal))
            {
                continue;
            }

            var names = new List<string> { tick.TypeName! };
            for (var frame = e.CallStack(); frame is not null && names.Count <= frames; frame = frame.Caller)
            {
                var method = frame.CodeAddress.FullMethodName;
                if (!string.IsNullOrEmpty(method))
                {
                    names.Add("  " + method);
                }
            }

            var key = string.Join('\n', names);
            counts[key] = counts.GetValueOrDefault(key) + 1;
            total++;
        }

        Console.WriteLine($"{total} samples of types containing \"{typeContains}\"");
        foreach (var (stack, count) in counts.OrderByDescending(p => p.Value).Take(6))
        {
            Console.WriteLine($"--- {count} samples\n{stack}");
        }

        return 0;
    }
}
