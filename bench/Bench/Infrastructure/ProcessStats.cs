using System.Globalization;

namespace Slardar.Scriptable.Bench.Infrastructure;

/// <summary>Reads CPU and memory of a process tree from /proc (Linux only, like the harness).</summary>
internal static class ProcessStats
{
    /// <summary>USER_HZ: the unit of utime/stime in /proc/pid/stat; 100 on every Linux this runs on.</summary>
    private const double TicksPerSecond = 100.0;

    public static ProcessSample Read(int pid)
    {
        var cpu = 0.0;
        long rss = 0, peak = 0;
        foreach (var id in Tree(pid))
        {
            cpu += CpuSeconds(id);
            var (now, high) = Memory(id);
            rss += now;
            peak += high;
        }

        return new ProcessSample(cpu, rss, peak);
    }

    /// <summary>The process alone, without its children (the gateway without its compile worker).</summary>
    public static ProcessSample ReadAlone(int pid)
    {
        var (rss, peak) = Memory(pid);
        return new ProcessSample(CpuSeconds(pid), rss, peak);
    }

    private static IEnumerable<int> Tree(int pid)
    {
        var pending = new Stack<int>();
        pending.Push(pid);
        while (pending.Count > 0)
        {
            var id = pending.Pop();
            yield return id;
            foreach (var child in Children(id))
            {
                pending.Push(child);
            }
        }
    }

    private static List<int> Children(int pid)
    {
        var result = new List<int>();
        var tasks = $"/proc/{pid}/task";
        if (!Directory.Exists(tasks))
        {
            return result;
        }

        foreach (var task in Directory.EnumerateDirectories(tasks))
        {
            var text = TryRead(Path.Combine(task, "children"));
            foreach (var part in (text ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                result.Add(int.Parse(part, CultureInfo.InvariantCulture));
            }
        }

        return result;
    }

    private static double CpuSeconds(int pid)
    {
        var stat = TryRead($"/proc/{pid}/stat");
        if (stat is null)
        {
            return 0;
        }

        // Fields after "(comm)": state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    private static (long Rss, long Peak) Memory(int pid)
    {
        long rss = 0, peak = 0;
        foreach (var line in (TryRead($"/proc/{pid}/status") ?? string.Empty).Split('\n'))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = Kilobytes(line);
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line);
            }
        }

        return (rss, peak);
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
