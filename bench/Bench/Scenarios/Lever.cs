namespace Slardar.Scriptable.Bench.Scenarios;

/// <summary>One runtime or server setting tried against the gateway as shipped.</summary>
/// <param name="Name">What it is, for the table.</param>
/// <param name="Environment">DOTNET_* variables for this start.</param>
/// <param name="Settings">Gateway configuration keys for this start.</param>
internal sealed record Lever(string Name, IReadOnlyDictionary<string, string> Environment, IReadOnlyDictionary<string, string> Settings)
{
    public static Lever Env(string name, params (string Key, string Value)[] variables) =>
        new(name, variables.ToDictionary(v => v.Key, v => v.Value), new Dictionary<string, string>());

    public static Lever Setting(string name, params (string Key, string Value)[] settings) =>
        new(name, new Dictionary<string, string>(), settings.ToDictionary(v => v.Key, v => v.Value));

    public string Describe() => string.Join(' ', Environment.Select(p => $"{p.Key}={p.Value}").Concat(Settings.Select(p => $"--{p.Key}={p.Value}")));
}
