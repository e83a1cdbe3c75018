using Slardar.Scriptable.Host.Configuration;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// How much a script may log (<c>Scripts:Log:*</c>): lines per second per script, with a burst of
/// twice that, so a loop of <c>Log.Warn</c> cannot flood the log. 0 turns the rate limit off.
/// </summary>
internal sealed record ScriptLogOptions(int LinesPerSecond)
{
    public static ScriptLogOptions Default { get; } = new(100);

    /// <summary>Lines a script may log at once after a quiet spell.</summary>
    public int Burst => LinesPerSecond * 2;

    public static ScriptLogOptions FromConfiguration(IConfiguration configuration) => new(
        (int)ConfigurationValues.ReadInteger(configuration, string.Empty, "Scripts:Log:LinesPerSecond", Default.LinesPerSecond, 0, 1_000_000));
}
