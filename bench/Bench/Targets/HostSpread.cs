using System.Globalization;

namespace Slardar.Scriptable.Bench.Targets;

/// <summary>A wrk script that sends each request to the next of N hosts (host-1.bench ... host-N.bench), requests pre-built.</summary>
internal static class HostSpread
{
    public static string HostName(int i) => $"host-{i.ToString(CultureInfo.InvariantCulture)}.bench";

    public static string WriteScript(string dir, int hosts)
    {
        var path = Path.Combine(dir, $"spread-{hosts.ToString(CultureInfo.InvariantCulture)}.lua");
        File.WriteAllText(path, $$"""
            -- Spreads requests round robin over {{hosts}} Host names; every request is formatted once, up front.
            local count = {{hosts}}
            local requests = {}
            for i = 1, count do
              requests[i] = wrk.format(nil, nil, { Host = "host-" .. i .. ".bench" })
            end
            local next = 0
            request = function()
              next = next % count + 1
              return requests[next]
            end
            """);
        return path;
    }
}
