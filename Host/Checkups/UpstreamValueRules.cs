using System.Net;
using System.Net.Sockets;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>Value checks shared by every source of upstream definitions.</summary>
internal static class UpstreamValueRules
{
    public const int MaxPort = 65535;

    // Anything longer is a typo (ms written as s); the cap also keeps timestamp arithmetic in range.
    public static readonly TimeSpan MaxSeconds = TimeSpan.FromDays(1);

    /// <summary>Slardar's admin route <c>^[-_a-zA-Z0-9.]+$</c>.</summary>
    public static bool IsValidName(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return false;
        }

        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The longest DNS name (RFC 1035, without the trailing dot).</summary>
    public const int MaxHostLength = 253;

    /// <summary>The longest label of a DNS name (RFC 1035).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>
    /// An IP literal (<c>10.0.5.108</c>, <c>::1</c>, <c>[::1]</c>) or a DNS name: labels of 1..63
    /// ASCII letters, digits, '-' or '_' (service names in Docker and Consul use it), at most 253
    /// characters, a trailing dot allowed. Anything else would only fail later, at connect time,
    /// after it had been stored and published.
    /// </summary>
    public static bool IsValidHost(string? host)
    {
        if (string.IsNullOrEmpty(host) || host.Length > MaxHostLength + 2)
        {
            return false;
        }

        var bracketed = host.Length > 2 && host[0] == '[' && host[^1] == ']';
        var literal = bracketed ? host[1..^1] : host;
        if (literal.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(literal, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
        }

        return !bracketed && IsDnsName(host);
    }

    private static bool IsDnsName(string host)
    {
        var name = host.EndsWith('.') ? host.AsSpan(0, host.Length - 1) : host.AsSpan();
        if (name.Length is 0 or > MaxHostLength)
        {
            return false;
        }

        foreach (var range in name.Split('.'))
        {
            var label = name[range];
            if (label.Length is 0 or > MaxLabelLength)
            {
                return false;
            }

            foreach (var c in label)
            {
                if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_'))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>Accepts integral values only (80 and 80.0 alike, as Lua did), within [min, max].</summary>
    public static bool TryGetInteger(double value, int min, int max, out int result)
    {
        result = 0;
        if (!double.IsFinite(value) || value != Math.Floor(value) || value < min || value > max)
        {
            return false;
        }

        result = (int)value;
        return true;
    }

    public static bool TryGetSeconds(double value, bool allowZero, out TimeSpan result)
    {
        result = TimeSpan.Zero;
        if (!double.IsFinite(value) || value < 0 || (value == 0 && !allowZero) || value > MaxSeconds.TotalSeconds)
        {
            return false;
        }

        result = TimeSpan.FromSeconds(value);
        return true;
    }
}
