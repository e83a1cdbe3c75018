using Slardar.Scriptable.Host.Configuration;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// When a script version is taken out of service: <see cref="Failures"/> budget overruns (runaways
/// included) within <see cref="Window"/>. <see cref="Failures"/> 0 turns quarantine off.
/// </summary>
internal sealed record ScriptQuarantineOptions(int Failures, TimeSpan Window)
{
    public static ScriptQuarantineOptions Default { get; } = new(5, TimeSpan.FromSeconds(60));

    public bool Enabled => Failures > 0;

    /// <summary>Reads <c>Scripts:Quarantine:Failures</c> and <c>Scripts:Quarantine:WindowSeconds</c>.</summary>
    public static ScriptQuarantineOptions FromConfiguration(IConfiguration configuration) => new(
        (int)ConfigurationValues.ReadInteger(configuration, string.Empty, "Scripts:Quarantine:Failures", Default.Failures, 0, 1_000_000),
        ConfigurationValues.ReadSeconds(configuration, string.Empty, "Scripts:Quarantine:WindowSeconds", Default.Window, 0, minInclusive: false, max: 86_400));
}
