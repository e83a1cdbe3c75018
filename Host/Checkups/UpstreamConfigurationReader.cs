using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Configuration;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// Reads upstreams from configuration (<c>Upstreams:&lt;name&gt;:servers:0:host</c>, ...).
/// The configuration tree is rewritten as JSON (indexed children become arrays, keys lower-cased
/// since configuration keys are case-insensitive) and handed to <see cref="UpstreamConfigParser"/>
/// in its string-scalar mode, so both sources share one set of rules and messages.
/// </summary>
internal static class UpstreamConfigurationReader
{
    /// <summary>
    /// Reads every child of <paramref name="section"/> (typically <c>Upstreams</c>) as one upstream.
    /// Valid upstreams are returned; each invalid one adds an error prefixed with its name.
    /// </summary>
    public static IReadOnlyList<UpstreamConfig> Read(IConfiguration section, out IReadOnlyList<string> errors)
    {
        ArgumentNullException.ThrowIfNull(section);

        var upstreams = new List<UpstreamConfig>();
        var problems = new List<string>();
        foreach (var child in section.GetChildren())
        {
            var result = Read(child);
            if (result.Success)
            {
                upstreams.Add(result.Config);
            }
            else
            {
                problems.Add(UpstreamConfigErrors.ForUpstream(child.Key, result.Error));
            }
        }

        errors = problems;
        return upstreams;
    }

    /// <summary>Reads one upstream; its name is the section's key.</summary>
    public static UpstreamParseResult Read(IConfigurationSection upstream)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        if (!UpstreamValueRules.IsValidName(upstream.Key))
        {
            return UpstreamParseResult.Fail(UpstreamConfigErrors.InvalidName);
        }

        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            try
            {
                WriteValue(writer, upstream, path: null);
            }
            catch (UpstreamConfigException ex)
            {
                return UpstreamParseResult.Fail(ex.Message);
            }
        }

        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return UpstreamConfigParser.ParseStringScalars(upstream.Key, document.RootElement);
    }

    private static void WriteValue(Utf8JsonWriter writer, IConfigurationSection section, string? path)
    {
        var children = section.GetChildren().ToList();
        if (children.Count == 0)
        {
            writer.WriteStringValue(section.Value ?? string.Empty);
        }
        else if (TryGetArrayOrder(children, path, out var ordered))
        {
            writer.WriteStartArray();
            for (var i = 0; i < ordered.Count; i++)
            {
                WriteValue(writer, ordered[i], $"{path}[{i}]");
            }

            writer.WriteEndArray();
        }
        else
        {
            writer.WriteStartObject();
            foreach (var child in children)
            {
                var name = child.Key.ToLowerInvariant();
                writer.WritePropertyName(name);
                WriteValue(writer, child, path is null ? name : $"{path}.{name}");
            }

            writer.WriteEndObject();
        }
    }

    // Children that are all non-negative integers form an array, which must have no gaps.
    private static bool TryGetArrayOrder(List<IConfigurationSection> children, string? path, out List<IConfigurationSection> ordered)
    {
        ordered = children;
        var indexed = new List<(int Index, IConfigurationSection Section)>(children.Count);
        foreach (var child in children)
        {
            if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var index))
            {
                return false;
            }

            indexed.Add((index, child));
        }

        indexed.Sort((a, b) => a.Index.CompareTo(b.Index));
        for (var i = 0; i < indexed.Count; i++)
        {
            if (indexed[i].Index != i)
            {
                throw new UpstreamConfigException(UpstreamConfigErrors.ArrayIndexGap(path ?? "(upstream)"));
            }
        }

        ordered = indexed.ConvertAll(entry => entry.Section);
        return true;
    }
}
