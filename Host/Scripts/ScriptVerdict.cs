using Slardar.Scriptable.Host.Errors;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>What the scripts decided for a request: go on, or it was answered (by an Exit, or with an error).</summary>
/// <param name="Answered">The response is written; the proxy stops.</param>
/// <param name="Error">The gateway error it was failed with, when a script failed.</param>
/// <param name="ErrorCode">The X-Error-Code sent, for the access log.</param>
internal readonly record struct ScriptVerdict(bool Answered, GatewayError? Error, int? ErrorCode)
{
    public static ScriptVerdict Continue => default;
}
