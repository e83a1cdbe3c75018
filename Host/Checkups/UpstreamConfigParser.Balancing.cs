using System.Collections.Immutable;
using System.Text.Json;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Host.Checkups.Outliers;
using static Slardar.Scriptable.Host.Checkups.UpstreamConfigErrors;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>The parser's balancing fields: named levels, <c>mode</c> and <c>outlier</c>.</summary>
internal sealed partial class UpstreamConfigParser
{
    /// <summary>
    /// <c>{"dc1": {...}, "dc2": {...}}</c>: levels by name, kept in declaration order. Names compare
    /// case-insensitively (configuration lower-cases keys), so two that differ only in case clash.
    /// </summary>
    private ImmutableArray<UpstreamLevelConfig> ReadNamedCluster(JsonElement cluster)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var levels = ImmutableArray.CreateBuilder<UpstreamLevelConfig>();
        foreach (var property in cluster.EnumerateObject())
        {
            var path = $"{UpstreamFields.Cluster}.{property.Name}";
            if (property.Name.Length == 0)
            {
                throw new UpstreamConfigException(EmptyLevelName);
            }

            if (!names.Add(property.Name))
            {
                throw new UpstreamConfigException(DuplicateField(path));
            }

            levels.Add(ReadLevel(property.Value, path) with { Name = property.Name });
        }

        return levels.Count > 0 ? levels.ToImmutable() : throw new UpstreamConfigException(ClusterEmpty);
    }

    private static BalancingMode ReadMode(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { } text)
        {
            throw new UpstreamConfigException(Must(path, ModeRequirement));
        }

        return BalancingModes.TryParse(text, out var mode)
            ? mode
            : throw new UpstreamConfigException(UnknownMode(path, text, BalancingModes.Expected));
    }

    /// <summary>The <c>outlier</c> object; absent fields keep <see cref="OutlierOptions.Default"/>.</summary>
    private OutlierOptions ReadOutlier(JsonElement value, string path)
    {
        if (IsEmptyStringContainer(value))
        {
            return OutlierOptions.Default;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new UpstreamConfigException(Must(path, ObjectRequirement));
        }

        var options = OutlierOptions.Default;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in value.EnumerateObject())
        {
            var fieldPath = $"{path}.{property.Name}";
            if (!seen.Add(property.Name))
            {
                throw new UpstreamConfigException(DuplicateField(fieldPath));
            }

            var field = property.Value;
            options = property.Name switch
            {
                UpstreamFields.Enable => options with { Enabled = ReadBoolean(field, fieldPath) },
                UpstreamFields.Window => options with { Window = ReadSeconds(field, fieldPath, allowZero: false) },
                UpstreamFields.MinRequests => options with { MinRequests = ReadInteger(field, fieldPath, 1, int.MaxValue, MinRequestsRequirement) },
                UpstreamFields.Factor => options with { Factor = ReadPositiveNumber(field, fieldPath, FactorRequirement) },
                UpstreamFields.Consecutive5xx => options with { Consecutive5xx = ReadInteger(field, fieldPath, 0, int.MaxValue, Consecutive5xxRequirement) },
                UpstreamFields.MaxEjectionPercent => options with { MaxEjectionPercent = ReadInteger(field, fieldPath, 0, 100, PercentRequirement) },
                UpstreamFields.BaseEjectionTime => options with { BaseEjectionTime = ReadSeconds(field, fieldPath, allowZero: false) },
                UpstreamFields.MaxEjectionTime => options with { MaxEjectionTime = ReadSeconds(field, fieldPath, allowZero: false) },
                UpstreamFields.PanicThreshold => options with { PanicThreshold = ReadInteger(field, fieldPath, 0, 100, PercentRequirement) },
                _ => throw new UpstreamConfigException(UnknownField(fieldPath)),
            };
        }

        if (options.MaxEjectionTime < options.BaseEjectionTime)
        {
            throw new UpstreamConfigException(MaxBelowBase($"{path}.{UpstreamFields.MaxEjectionTime}", UpstreamFields.BaseEjectionTime));
        }

        return options;
    }

    private double ReadPositiveNumber(JsonElement value, string path, string requirement) =>
        TryGetNumber(value, path, requirement, out var number) && double.IsFinite(number) && number > 0
            ? number
            : throw new UpstreamConfigException(Must(path, requirement));
}
