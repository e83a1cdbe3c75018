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

    /// <summary>A host name or IP literal: no whitespace, control characters or URI delimiters.</summary>
    public static bool IsValidHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        foreach (var c in host)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c is '/' or '\\' or '?' or '#' or '@')
            {
                return false;
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
