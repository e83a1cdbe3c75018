using System.Globalization;

namespace Slardar.Scriptable.Host.Store;

/// <summary>
/// Times are stored as fixed-width ISO-8601 UTC text with 100 ns precision: readable in the sqlite3
/// CLI, sortable as text, and round-tripping a <see cref="DateTimeOffset"/> exactly.
/// </summary>
internal static class StoreTime
{
    private const string Format = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string ToText(DateTimeOffset at) =>
        at.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.ParseExact(text, Format, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
