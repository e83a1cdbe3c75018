using System.Globalization;

namespace Slardar.Scriptable.Tests.Observability.Metrics;

/// <summary>Reads the sample lines of a rendered exposition: <c>name{labels}</c> as written → value.</summary>
internal static class Exposition
{
    public static Dictionary<string, double> Samples(string text)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var space = line.LastIndexOf(' ');
            samples.Add(line[..space], Parse(line[(space + 1)..]));
        }

        return samples;
    }

    /// <summary>The value of one sample, or null when the exposition does not have it.</summary>
    public static double? Sample(string text, string series) =>
        Samples(text).TryGetValue(series, out var value) ? value : null;

    private static double Parse(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
