namespace Slardar.Scriptable.Host.Checkups;

/// <summary>
/// Every message the upstream parser produces, in one place: the admin API returns them verbatim
/// (<c>{"status":400,"msg":...}</c>) and callers and tests match on them. Paths name the field as
/// written, e.g. <c>cluster[1].servers[0].port</c>.
/// </summary>
internal static class UpstreamConfigErrors
{
    public const string InvalidName = "invalid upstream name";
    public const string BodyNotObject = "body invalid: must be a JSON object";
    public const string NeedsServersOrCluster = "body invalid: needs \"servers\" or \"cluster\"";
    public const string ConsulServiceAndServers = "body invalid: \"consul_service\" takes the peers from Consul and cannot be combined with \"servers\" or \"cluster\"";
    public const string ConsulServiceRequirement = "a Consul service name (letters, digits, '-', '_' or '.')";
    public const string ServersAndCluster = "body invalid: \"servers\" and \"cluster\" are mutually exclusive";
    public const string ClusterInvalid = "cluster invalid: must be an array of levels or an object of named levels";
    public const string EmptyLevelName = "cluster invalid: a level name is empty";
    public const string ClusterEmpty = "cluster invalid: empty";

    // What a scalar field must be; used as "<path>: must be <requirement>".
    public const string HostRequirement = "a host name or IP address (a host name has at most 253 characters, in dot-separated labels of 1..63 letters, digits, '-' or '_')";
    public const string PortRequirement = "an integer in 1..65535";
    public const string WeightRequirement = "an integer >= 1";
    public const string MaxFailsRequirement = "an integer >= 0";
    public const string TryRequirement = "an integer >= 1";
    public const string NonNegativeSecondsRequirement = "a number of seconds >= 0 and <= 86400";
    public const string PositiveSecondsRequirement = "a number of seconds > 0 and <= 86400";
    public const string BooleanRequirement = "a boolean";
    public const string NextUpstreamRequirement = "a non-empty string of space-separated conditions";

    // Balancing mode and outlier detection (outlier.*).
    public const string ModeRequirement = "a string naming a balancing mode";
    public const string ObjectRequirement = "an object";
    public const string MinRequestsRequirement = "an integer >= 1";
    public const string FactorRequirement = "a number > 0";
    public const string Consecutive5xxRequirement = "an integer >= 0 (0 turns the rule off)";
    public const string PercentRequirement = "an integer in 0..100";

    public static string DecodeBody(string detail) => $"decode body error: {detail}";

    public static string InvalidUtf8(string path) => DecodeBody($"invalid UTF-8 in \"{path}\"");

    public static string UnknownField(string path) => $"unknown field \"{path}\"";

    public static string DuplicateField(string path) => $"duplicate field \"{path}\"";

    public static string LevelNotObject(string levelPath) => $"{levelPath}: level must be an object";

    public static string EmptyLevel(string levelPath) => $"{levelPath}: can not update empty level";

    public static string ServersNotArray(string serversPath) => $"{serversPath} invalid: must be an array";

    public static string ServersEmpty(string serversPath) => $"{serversPath} invalid: empty";

    public static string ServerNotObject(string serverPath) => $"{serverPath}: server must be an object";

    public static string MissingHostOrPort(string serverPath) => $"{serverPath}: no server.host nor server.port found";

    public static string UnknownMode(string path, string mode, string expected) =>
        $"{path}: unknown balancing mode \"{mode}\" (expected {expected})";

    public static string MaxBelowBase(string maxPath, string basePath) => $"{maxPath}: must be >= {basePath}";

    public static string Must(string path, string requirement) => $"{path}: must be {requirement}";

    /// <summary>A number written as a JSON string (<c>"port":"80"</c>): said explicitly, it is an easy slip.</summary>
    public static string MustNotBeString(string path, string requirement) => $"{path}: must be {requirement}, not a string";

    /// <summary>Configuration arrays are keys 0..n-1; a gap means a typo or a half-removed entry.</summary>
    public static string ArrayIndexGap(string path) => $"{path}: array indices must run 0..n-1 without gaps";

    /// <summary>Prefix for errors reported per upstream when many are read at once.</summary>
    public static string ForUpstream(string name, string error) => $"upstream \"{name}\": {error}";
}
