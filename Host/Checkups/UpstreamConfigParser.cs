using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;
using System.Text.Unicode;
using Slardar.Scriptable.Host.Checkups.Balancing;
using Slardar.Scriptable.Host.Checkups.Outliers;
using static Slardar.Scriptable.Host.Checkups.UpstreamConfigErrors;

namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// Strict parser for Slardar's upstream JSON: <c>{"servers":[...]}</c> (one level),
/// <c>{"cluster":[{"servers":[...]}, ...]}</c> (ordered levels) or
/// <c>{"cluster":{"dc1":{"servers":[...]}, ...}}</c> (named levels), plus the top-level options.
/// Unknown fields, wrong types and out-of-range values are errors naming the field, so a typo is
/// reported instead of silently falling back to a default. Reports the first problem found.
/// </summary>
internal sealed partial class UpstreamConfigParser
{
    // Configuration providers hold every scalar as a string; only then are "80" and "true" accepted.
    private readonly bool _scalarsAreStrings;

    private UpstreamConfigParser(bool scalarsAreStrings)
    {
        _scalarsAreStrings = scalarsAreStrings;
    }

    public static UpstreamParseResult Parse(string name, ReadOnlySpan<byte> utf8Json)
    {
        if (!UpstreamValueRules.IsValidName(name))
        {
            return UpstreamParseResult.Fail(InvalidName);
        }

        JsonDocument document;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            document = JsonDocument.ParseValue(ref reader);

            // ParseValue stops after one value; anything but whitespace after it is malformed input.
            if (reader.Read())
            {
                document.Dispose();
                return UpstreamParseResult.Fail(DecodeBody("unexpected data after the JSON value"));
            }
        }
        catch (JsonException ex)
        {
            return UpstreamParseResult.Fail(DecodeBody(ex.Message));
        }

        using (document)
        {
            // The JSON reader checks string contents only when they are read: bad bytes, and keys
            // given twice, are found here and named by their field.
            if (UpstreamBodyCheck.FindProblem(document.RootElement) is { } problem)
            {
                return UpstreamParseResult.Fail(problem);
            }

            return Utf8.IsValid(utf8Json)
                ? Parse(name, document.RootElement, scalarsAreStrings: false)
                : UpstreamParseResult.Fail(DecodeBody("invalid UTF-8"));
        }
    }

    public static UpstreamParseResult Parse(string name, JsonElement body) => Parse(name, body, scalarsAreStrings: false);

    /// <summary>For <see cref="UpstreamConfigurationReader"/>: the same rules, scalars given as strings.</summary>
    internal static UpstreamParseResult ParseStringScalars(string name, JsonElement body) => Parse(name, body, scalarsAreStrings: true);

    private static UpstreamParseResult Parse(string name, JsonElement body, bool scalarsAreStrings)
    {
        if (!UpstreamValueRules.IsValidName(name))
        {
            return UpstreamParseResult.Fail(InvalidName);
        }

        try
        {
            return UpstreamParseResult.Ok(new UpstreamConfigParser(scalarsAreStrings).ReadUpstream(name, body));
        }
        catch (UpstreamConfigException ex)
        {
            return UpstreamParseResult.Fail(ex.Message);
        }
    }

    private UpstreamConfig ReadUpstream(string name, JsonElement body)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            throw new UpstreamConfigException(BodyNotObject);
        }

        JsonElement? servers = null;
        JsonElement? cluster = null;
        int? tries = null;
        TimeSpan? tryTimeout = null;
        NextUpstreamConditions? nextUpstream = null;
        var enable = true;
        TimeSpan? connectTimeout = null;
        var heartbeat = HeartbeatConfig.Default;
        var mode = BalancingMode.RoundRobin;
        var outlier = OutlierOptions.Default;
        string? consulService = null;
        (string? Scheme, string? Sni, string? Ca, bool? Verify) tls = default;
        var http2 = false;

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in body.EnumerateObject())
        {
            var path = property.Name;
            if (!seen.Add(path))
            {
                throw new UpstreamConfigException(DuplicateField(path));
            }

            var value = property.Value;
            switch (path)
            {
                case UpstreamFields.Servers:
                    servers = value;
                    break;
                case UpstreamFields.Cluster:
                    cluster = value;
                    break;
                case UpstreamFields.Try:
                    tries = ReadInteger(value, path, 1, int.MaxValue, TryRequirement);
                    break;
                case UpstreamFields.TryTimeout:
                    // 0 is "no limit", as lua-resty-checkups and Slardar read it.
                    tryTimeout = ReadSeconds(value, path, allowZero: true);
                    break;
                case UpstreamFields.NextUpstream:
                    nextUpstream = ReadNextUpstream(value, path);
                    break;
                case UpstreamFields.Enable:
                    enable = ReadBoolean(value, path);
                    break;
                case UpstreamFields.Timeout:
                    connectTimeout = ReadSeconds(value, path, allowZero: false);
                    break;
                case UpstreamFields.Mode:
                    mode = ReadMode(value, path);
                    break;
                case UpstreamFields.Outlier:
                    outlier = ReadOutlier(value, path);
                    break;
                case UpstreamFields.ConsulService:
                    consulService = ReadServiceName(value, path);
                    break;
                case UpstreamFields.Http2:
                    http2 = ReadBoolean(value, path);
                    break;
                case var field when IsTlsField(field):
                    tls = ReadTlsField(tls, path, value);
                    break;
                case var field when IsHeartbeatField(field):
                    heartbeat = ReadHeartbeatField(heartbeat, path, value);
                    break;
                default:
                    throw new UpstreamConfigException(UnknownField(path));
            }
        }

        var levels = (servers, cluster) switch
        {
            _ when consulService is not null => servers is null && cluster is null
                ? ImmutableArray<UpstreamLevelConfig>.Empty
                : throw new UpstreamConfigException(ConsulServiceAndServers),
            ({ } s, null) => [ReadLevelServers(s, UpstreamFields.Servers)],
            (null, { } c) => ReadCluster(c),
            (null, null) => throw new UpstreamConfigException(NeedsServersOrCluster),
            _ => throw new UpstreamConfigException(ServersAndCluster),
        };

        return new UpstreamConfig
        {
            Name = name,
            Levels = levels,
            Tries = tries,
            TryTimeout = tryTimeout,
            NextUpstream = nextUpstream,
            Enable = enable,
            ConnectTimeout = connectTimeout,
            Heartbeat = heartbeat,
            Mode = mode,
            Outlier = outlier,
            ConsulService = consulService,
            Tls = BuildTls(tls),
            Http2 = http2,
        };
    }

    private static string ReadServiceName(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 and <= 255 } name
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? name
            : throw new UpstreamConfigException(Must(path, ConsulServiceRequirement));

    private ImmutableArray<UpstreamLevelConfig> ReadCluster(JsonElement cluster)
    {
        if (IsEmptyStringContainer(cluster))
        {
            throw new UpstreamConfigException(ClusterEmpty);
        }

        if (cluster.ValueKind == JsonValueKind.Object)
        {
            return ReadNamedCluster(cluster);
        }

        if (cluster.ValueKind != JsonValueKind.Array)
        {
            throw new UpstreamConfigException(ClusterInvalid);
        }

        var levels = ImmutableArray.CreateBuilder<UpstreamLevelConfig>(cluster.GetArrayLength());
        foreach (var level in cluster.EnumerateArray())
        {
            levels.Add(ReadLevel(level, $"{UpstreamFields.Cluster}[{levels.Count}]"));
        }

        if (levels.Count == 0)
        {
            throw new UpstreamConfigException(ClusterEmpty);
        }

        return levels.MoveToImmutable();
    }

    private UpstreamLevelConfig ReadLevel(JsonElement level, string path)
    {
        if (IsEmptyStringContainer(level))
        {
            throw new UpstreamConfigException(EmptyLevel(path));
        }

        if (level.ValueKind != JsonValueKind.Object)
        {
            throw new UpstreamConfigException(LevelNotObject(path));
        }

        JsonElement? servers = null;
        foreach (var property in level.EnumerateObject())
        {
            var fieldPath = $"{path}.{property.Name}";
            if (property.Name != UpstreamFields.Servers)
            {
                throw new UpstreamConfigException(UnknownField(fieldPath));
            }

            if (servers is not null)
            {
                throw new UpstreamConfigException(DuplicateField(fieldPath));
            }

            servers = property.Value;
        }

        return servers is { } s
            ? ReadLevelServers(s, $"{path}.{UpstreamFields.Servers}")
            : throw new UpstreamConfigException(EmptyLevel(path));
    }

    private UpstreamLevelConfig ReadLevelServers(JsonElement servers, string path)
    {
        if (IsEmptyStringContainer(servers))
        {
            throw new UpstreamConfigException(ServersEmpty(path));
        }

        if (servers.ValueKind != JsonValueKind.Array)
        {
            throw new UpstreamConfigException(ServersNotArray(path));
        }

        var peers = ImmutableArray.CreateBuilder<PeerConfig>(servers.GetArrayLength());
        foreach (var server in servers.EnumerateArray())
        {
            peers.Add(ReadPeer(server, $"{path}[{peers.Count}]"));
        }

        if (peers.Count == 0)
        {
            throw new UpstreamConfigException(ServersEmpty(path));
        }

        return new UpstreamLevelConfig(peers.MoveToImmutable());
    }

    private PeerConfig ReadPeer(JsonElement server, string path)
    {
        if (server.ValueKind != JsonValueKind.Object && !IsEmptyStringContainer(server))
        {
            throw new UpstreamConfigException(ServerNotObject(path));
        }

        string? host = null;
        int? port = null;
        var weight = PeerConfig.DefaultWeight;
        var maxFails = PeerConfig.DefaultMaxFails;
        var failTimeout = PeerConfig.DefaultFailTimeout;

        if (server.ValueKind == JsonValueKind.Object)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in server.EnumerateObject())
            {
                var fieldPath = $"{path}.{property.Name}";
                if (!seen.Add(property.Name))
                {
                    throw new UpstreamConfigException(DuplicateField(fieldPath));
                }

                var value = property.Value;
                switch (property.Name)
                {
                    case UpstreamFields.Host:
                        host = ReadHost(value, fieldPath);
                        break;
                    case UpstreamFields.Port:
                        port = ReadInteger(value, fieldPath, 1, UpstreamValueRules.MaxPort, PortRequirement);
                        break;
                    case UpstreamFields.Weight:
                        weight = ReadInteger(value, fieldPath, 1, int.MaxValue, WeightRequirement);
                        break;
                    case UpstreamFields.MaxFails:
                        maxFails = ReadInteger(value, fieldPath, 0, int.MaxValue, MaxFailsRequirement);
                        break;
                    case UpstreamFields.FailTimeout:
                        failTimeout = ReadSeconds(value, fieldPath, allowZero: true);
                        break;
                    default:
                        throw new UpstreamConfigException(UnknownField(fieldPath));
                }
            }
        }

        if (host is null || port is null)
        {
            throw new UpstreamConfigException(MissingHostOrPort(path));
        }

        return new PeerConfig
        {
            Host = host,
            Port = port.Value,
            Weight = weight,
            MaxFails = maxFails,
            FailTimeout = failTimeout,
        };
    }

    private static string ReadHost(JsonElement value, string path) =>
        value.ValueKind == JsonValueKind.String && value.GetString() is { } host && UpstreamValueRules.IsValidHost(host)
            ? host
            : throw new UpstreamConfigException(Must(path, HostRequirement));

    private int ReadInteger(JsonElement value, string path, int min, int max, string requirement) =>
        TryGetNumber(value, path, requirement, out var number) && UpstreamValueRules.TryGetInteger(number, min, max, out var result)
            ? result
            : throw new UpstreamConfigException(Must(path, requirement));

    private TimeSpan ReadSeconds(JsonElement value, string path, bool allowZero)
    {
        var requirement = allowZero ? NonNegativeSecondsRequirement : PositiveSecondsRequirement;
        return TryGetNumber(value, path, requirement, out var number) && UpstreamValueRules.TryGetSeconds(number, allowZero, out var result)
            ? result
            : throw new UpstreamConfigException(Must(path, requirement));
    }

    private bool ReadBoolean(JsonElement value, string path)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String when _scalarsAreStrings && bool.TryParse(value.GetString(), out var parsed):
                return parsed;
            case JsonValueKind.String when !_scalarsAreStrings:
                throw new UpstreamConfigException(MustNotBeString(path, BooleanRequirement));
            default:
                throw new UpstreamConfigException(Must(path, BooleanRequirement));
        }
    }

    private static NextUpstreamConditions ReadNextUpstream(JsonElement value, string path)
    {
        if (value.ValueKind != JsonValueKind.String || value.GetString() is not { } text)
        {
            throw new UpstreamConfigException(Must(path, NextUpstreamRequirement));
        }

        return NextUpstreamParser.TryParse(text, out var conditions, out var error)
            ? conditions
            : throw new UpstreamConfigException($"{path}: {error}");
    }

    private bool TryGetNumber(JsonElement value, string path, string requirement, out double number)
    {
        number = 0;
        return value.ValueKind switch
        {
            JsonValueKind.Number => value.TryGetDouble(out number),
            JsonValueKind.String when _scalarsAreStrings =>
                double.TryParse(value.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out number),
            JsonValueKind.String => throw new UpstreamConfigException(MustNotBeString(path, requirement)),
            _ => false,
        };
    }

    // Configuration providers turn an empty JSON array or object into an empty string value.
    private bool IsEmptyStringContainer(JsonElement value) =>
        _scalarsAreStrings && value.ValueKind == JsonValueKind.String && value.GetString()?.Length == 0;
}
