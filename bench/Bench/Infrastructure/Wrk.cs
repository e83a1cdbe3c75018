using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Slardar.Scriptable.Bench.Infrastructure;

/// <summary>Runs wrk (HTTP/1.1 keep-alive load, fixed connections) and parses its report.</summary>
internal static partial class Wrk
{
    public static async Task<WrkResult> RunAsync(WrkSettings settings, string url, string? hostHeader = null, string? luaScript = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "-t" + settings.Threads, "-c" + settings.Connections, "-d" + settings.Duration.TotalSeconds.ToString("F0", CultureInfo.InvariantCulture) + "s",
                     "--timeout", "5s", "--latency",
                 })
        {
            info.ArgumentList.Add(arg);
        }

        if (hostHeader is not null)
        {
            info.ArgumentList.Add("-H");
            info.ArgumentList.Add("Host: " + hostHeader);
        }

        if (luaScript is not null)
        {
            info.ArgumentList.Add("-s");
            info.ArgumentList.Add(luaScript);
        }

        info.ArgumentList.Add(url);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start wrk");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var text = await output;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {text}{await error}");
        }

        return Parse(text);
    }

    public static WrkResult Parse(string text)
    {
        var rps = double.Parse(Rps().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        var requests = long.Parse(Requests().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
        var non2xx = Non2xx().Match(text) is { Success: true } n ? long.Parse(n.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        long socketErrors = 0;
        if (SocketErrors().Match(text) is { Success: true } s)
        {
            for (var i = 1; i <= 4; i++)
            {
                socketErrors += long.Parse(s.Groups[i].Value, CultureInfo.InvariantCulture);
            }
        }

        return new WrkResult(rps, requests, Percentile(text, "50%"), Percentile(text, "99%"), non2xx, socketErrors);
    }

    private static double Percentile(string text, string label)
    {
        var match = Regex.Match(text, @"^\s+" + Regex.Escape(label) + @"\s+([\d.]+)(us|ms|s)\s*$", RegexOptions.Multiline);
        if (!match.Success)
        {
            throw new FormatException($"wrk output has no {label} latency:\n{text}");
        }

        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch
        {
            "us" => value / 1000,
            "s" => value * 1000,
            _ => value,
        };
    }

    [GeneratedRegex(@"Requests/sec:\s+([\d.]+)")]
    private static partial Regex Rps();

    [GeneratedRegex(@"(\d+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"Non-2xx or 3xx responses: (\d+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")]
    private static partial Regex SocketErrors();
}
