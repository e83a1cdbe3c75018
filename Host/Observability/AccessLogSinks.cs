namespace Slardar.Scriptable.Host.Observability;

/// <summary>Where access-log events go, read once from configuration.</summary>
/// <param name="Enabled"><c>AccessLog:Enabled</c>: false writes nothing and queues nothing.</param>
/// <param name="ConsoleLines">A text line per request on standard output (unless <c>Logging:Console=false</c>
/// or <c>Logging:MinimumLevel</c> is above Information).</param>
/// <param name="Structured">Events through the logger, for the JSON-lines file of <c>AccessLog:File</c>.</param>
internal sealed record AccessLogSinks(bool Enabled, bool ConsoleLines, bool Structured)
{
    public static AccessLogSinks Off { get; } = new(false, false, false);
}
