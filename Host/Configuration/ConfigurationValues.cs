using System.Globalization;

namespace Slardar.Scriptable.Host.Configuration;

/// <summary>
/// Reads typed settings with clear errors: a bad value stops the start with a message naming the
/// full key and what it must be, rather than a FormatException or a silent default.
/// </summary>
internal static class ConfigurationValues
{
    public static long ReadInteger(IConfiguration section, string prefix, string key, long fallback, long min, long max = long.MaxValue)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new InvalidOperationException($"{prefix}{key} must be an integer ≥ {min}{(max >= int.MaxValue ? string.Empty : $" and ≤ {max}")}, got \"{text}\"");
    }

    public static TimeSpan ReadSeconds(IConfiguration section, string prefix, string key, TimeSpan fallback, double min, bool minInclusive, double max = int.MaxValue / 1000.0)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && (minInclusive ? seconds >= min : seconds > min) && seconds <= max
            ? TimeSpan.FromSeconds(seconds)
            : throw new InvalidOperationException($"{prefix}{key} must be a number of seconds {(minInclusive ? "≥" : ">")} {min.ToString(CultureInfo.InvariantCulture)}, got \"{text}\"");
    }

    public static bool ReadBoolean(IConfiguration section, string prefix, string key, bool fallback)
    {
        var text = section[key];
        if (string.IsNullOrEmpty(text))
        {
            return fallback;
        }

        return bool.TryParse(text, out var value)
            ? value
            : throw new InvalidOperationException($"{prefix}{key} must be true or false, got \"{text}\"");
    }
}
