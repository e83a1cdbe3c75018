using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// A script's <c>Log</c>: one per host pattern, created from a string category (never
/// ILogger&lt;T&gt; over a script type, which would pin the script's ALC in the logger cache).
/// </summary>
internal sealed partial class ScriptLogAdapter : IScriptLog
{
    private readonly ILogger _logger;
    private readonly string _host;

    public ScriptLogAdapter(ILoggerFactory factory, string host)
    {
        _logger = factory.CreateLogger("Slardar.Script");
        _host = host;
    }

    public void Debug(string message) => Log.Message(_logger, LogLevel.Debug, _host, message);

    public void Info(string message) => Log.Message(_logger, LogLevel.Information, _host, message);

    public void Warn(string message) => Log.Message(_logger, LogLevel.Warning, _host, message);

    public void Error(string message) => Log.Message(_logger, LogLevel.Error, _host, message);

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Message = "script {Host}: {Text}")]
        public static partial void Message(ILogger logger, LogLevel level, string host, string text);
    }
}
