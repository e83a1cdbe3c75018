namespace Slardar.Scriptable.Bench.Infrastructure;

internal static class Stats
{
    public static double Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IEnumerable<double> values, double percentile)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static string Ratio(double value, double baseline) => baseline > 0 && !double.IsNaN(value) ? $"{value / baseline:F2}×" : "n/a";

    public static string Bytes(double bytes) => double.IsNaN(bytes) ? "—" : $"{bytes:F0} B";

    public static string Mb(long bytes) => $"{bytes / 1024.0 / 1024.0:F0} MB";
}
