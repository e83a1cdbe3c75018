using System.Globalization;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// How a stream listener's scripts are named: <c>stream:&lt;port&gt;</c> in the admin API, the store
/// and Consul, <c>Scripts/stream_&lt;port&gt;/</c> on disk (a colon is not a portable folder name).
/// </summary>
internal static class StreamScriptNames
{
    public const string Prefix = "stream:";

    public const string FolderPrefix = "stream_";

    public static string PatternFor(int port) => Prefix + port.ToString(CultureInfo.InvariantCulture);

    /// <summary>Whether <paramref name="pattern"/> is <c>stream:&lt;port&gt;</c> with a port 1–65535.</summary>
    public static bool IsPattern(string pattern) => TryParsePort(pattern, Prefix, out _);

    /// <summary><c>stream_6380</c> → <c>stream:6380</c>; other folder names are returned as they are.</summary>
    public static string PatternFromFolder(string folder) =>
        TryParsePort(folder, FolderPrefix, out var port) ? PatternFor(port) : folder;

    /// <summary><c>stream:6380</c> → <c>stream_6380</c>; other patterns are returned as they are.</summary>
    public static string FolderFromPattern(string pattern) =>
        TryParsePort(pattern, Prefix, out var port) ? FolderPrefix + port.ToString(CultureInfo.InvariantCulture) : pattern;

    private static bool TryParsePort(string text, string prefix, out int port)
    {
        port = 0;
        if (!text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var digits = text.AsSpan(prefix.Length);
        return digits.Length is > 0 and <= 5
            && !digits.StartsWith("0")
            && int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out port)
            && port is > 0 and <= 65535;
    }
}
