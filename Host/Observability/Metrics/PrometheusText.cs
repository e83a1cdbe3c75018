using System.Globalization;
using System.Text;

namespace Slardar.Scriptable.Host.Observability.Metrics;

/// <summary>
/// The lexical rules of the Prometheus text exposition format 0.0.4: names, escaping, numbers and
/// the sample line itself. Lines end with '\n' whatever the platform, as the format requires.
/// </summary>
internal static class PrometheusText
{
    public const string Counter = "counter";
    public const string Gauge = "gauge";
    public const string Histogram = "histogram";

    /// <summary>
    /// Prometheus parses sample values with Go's ParseFloat, which takes "1e-05" as well as
    /// "0.00001", plus "+Inf", "-Inf" and "NaN". .NET's shortest round-trip form is exact; only the
    /// infinities (rendered "∞"/"Infinity" by .NET) need spelling out, and the exponent marker is
    /// lower-cased so bucket bounds read as client_golang writes them (le="1e-05").
    /// </summary>
    public static string FormatValue(double value)
    {
        if (double.IsPositiveInfinity(value))
        {
            return "+Inf";
        }

        if (double.IsNegativeInfinity(value))
        {
            return "-Inf";
        }

        if (double.IsNaN(value))
        {
            return "NaN";
        }

        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('E', StringComparison.Ordinal) ? text.Replace('E', 'e') : text;
    }

    /// <summary>Label values may hold anything; backslash, double quote and line feed are escaped.</summary>
    public static void AppendLabelValue(StringBuilder builder, string value)
    {
        if (value.AsSpan().IndexOfAny('\\', '"', '\n') < 0)
        {
            builder.Append(value);
            return;
        }

        foreach (var c in value)
        {
            switch (c)
            {
                case '\\':
                    builder.Append(@"\\");
                    break;
                case '"':
                    builder.Append("\\\"");
                    break;
                case '\n':
                    builder.Append(@"\n");
                    break;
                default:
                    builder.Append(c);
                    break;
            }
        }
    }

    /// <summary>HELP text escapes only backslash and line feed (a quote is literal there).</summary>
    public static string EscapeHelp(string help) =>
        help.AsSpan().IndexOfAny('\\', '\n') < 0 ? help : help.Replace(@"\", @"\\", StringComparison.Ordinal).Replace("\n", @"\n", StringComparison.Ordinal);

    /// <summary>
    /// Metric names are [a-zA-Z_:][a-zA-Z0-9_:]*. Instruments named OpenTelemetry-style
    /// ("slardar.script.hits") still export, with the offending characters turned into '_'.
    /// </summary>
    public static string SanitizeMetricName(string name) => Sanitize(name, allowColon: true);

    /// <summary>Label names are [a-zA-Z_][a-zA-Z0-9_]*.</summary>
    public static string SanitizeLabelName(string name) => Sanitize(name, allowColon: false);

    /// <summary>Tag values are usually strings; anything else is written the way invariant culture formats it.</summary>
    public static string FormatTagValue(object? value) => value switch
    {
        null => string.Empty,
        string s => s,
        bool b => b ? "true" : "false",
        double d => FormatValue(d),
        float f => FormatValue(f),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>
    /// Writes one sample: <c>name{labels,extra} value</c>. <paramref name="labels"/> is already
    /// rendered (see <see cref="TagSet.Labels"/>); <paramref name="extraLabel"/> is the histogram's
    /// <c>le</c>, kept last as client libraries do.
    /// </summary>
    public static void WriteSample(TextWriter writer, string name, string? suffix, string labels, string? extraLabel, double value)
    {
        writer.Write(name);
        if (suffix is not null)
        {
            writer.Write(suffix);
        }

        if (labels.Length > 0 || extraLabel is not null)
        {
            writer.Write('{');
            writer.Write(labels);
            if (extraLabel is not null)
            {
                if (labels.Length > 0)
                {
                    writer.Write(',');
                }

                writer.Write(extraLabel);
            }

            writer.Write('}');
        }

        writer.Write(' ');
        writer.Write(FormatValue(value));
        writer.Write('\n');
    }

    private static string Sanitize(string name, bool allowColon)
    {
        if (name.Length == 0)
        {
            return "_";
        }

        var builder = new StringBuilder(name.Length + 1);
        if (char.IsAsciiDigit(name[0]))
        {
            builder.Append('_');
        }

        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || (allowColon && c == ':') ? c : '_');
        }

        return builder.ToString();
    }
}
