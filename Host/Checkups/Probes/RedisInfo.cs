namespace Slardar.Scriptable.Host.Checkups.Probes;

/// <summary>Reads the text of a redis <c>INFO</c> reply: "# Section" headers and "field:value" lines.</summary>
internal static class RedisInfo
{
    public static Dictionary<string, string> Parse(string info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var rawLine in info.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r');
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (line.StartsWith('#') || colon <= 0)
            {
                continue;
            }

            // Values may contain ':' (slave0:ip=...,port=...), so only the first one separates.
            fields[line[..colon]] = line[(colon + 1)..];
        }

        return fields;
    }
}
