namespace Slardar.Scriptable.Bench.Targets;

/// <summary>How to start one gateway process for a measurement.</summary>
/// <param name="Name">Label in logs and tables.</param>
/// <param name="AccessLog">The access log on (to the console, the README default) or off.</param>
/// <param name="Environment">Runtime knobs for this start (DOTNET_* for the levers).</param>
/// <param name="Settings">Extra configuration keys (<c>--Key=value</c>).</param>
internal sealed record GatewayLaunch(
    string Name,
    bool AccessLog = false,
    IReadOnlyDictionary<string, string>? Environment = null,
    IReadOnlyDictionary<string, string>? Settings = null,
    string? Dll = null);
