using System.Globalization;
using System.Text;
using Slardar.Scriptable.Host.Upstreams;

namespace Slardar.Scriptable.Host.Observability;

/// <summary>
/// A call's tries as the access log lists them, nginx's way: <c>$upstream_addr</c>,
/// <c>$upstream_status</c> and <c>$upstream_response_time</c> as "a, b" lists, and the tries' total
/// time. One place for the HTTP proxy, content scripts and the stream proxy.
/// </summary>
internal readonly record struct TryLogFields(string Addresses, string Statuses, string Times, double TotalSeconds)
{
    public static TryLogFields None { get; } = new("-", "-", "-", 0);

    public static TryLogFields Of(IReadOnlyList<TryRecord>? tries)
    {
        if (tries is not { Count: > 0 })
        {
            return None;
        }

        var total = 0.0;
        foreach (var record in tries)
        {
            total += record.Elapsed.TotalSeconds;
        }

        if (tries.Count == 1)
        {
            var only = tries[0];
            return new(only.Address, only.Status.ToString(CultureInfo.InvariantCulture), Seconds(only), total);
        }

        // One builder reused for the three lists.
        var builder = new StringBuilder(64);
        return new(Join(builder, tries, static r => r.Address), Join(builder, tries, static r => r.Status.ToString(CultureInfo.InvariantCulture)), Join(builder, tries, Seconds), total);
    }

    private static string Seconds(TryRecord record) => record.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture);

    private static string Join(StringBuilder builder, IReadOnlyList<TryRecord> tries, Func<TryRecord, string> field)
    {
        builder.Clear();
        foreach (var record in tries)
        {
            if (builder.Length > 0)
            {
                builder.Append(", ");
            }

            builder.Append(field(record));
        }

        return builder.ToString();
    }
}
