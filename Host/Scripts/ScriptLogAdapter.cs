using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// A script's <c>Log</c>: created from a string category (never ILogger&lt;T&gt; over a script
/// type, which would pin the script's ALC in the logger cache). Each line is cut to
/// <see cref="ScriptText.MaxChars"/> and goes through the script's <see cref="ScriptLogLimiter"/>;
/// the first line after some were refused says how many.
/// </summary>
internal sealed partial class ScriptLogAdapter : IScriptLog
{
    private readonly ILogger _logger;
    private readonly string _host;
    private readonly ScriptKey _key;
    private readonly ScriptLogLimiter _limiter;

    public ScriptLogAdapter(ILoggerFactory factory, ScriptKey key, ScriptLogLimiter limiter)
    {
        _logger = factory.CreateLogger("Slardar.Script");
        _host = key.Pattern;
        _key = key;
        _limiter = limiter;
    }

    public void Debug(string message) => Write(LogLevel.Debug, message);

    public void Info(string message) => Write(LogLevel.Information, message);

    public void Warn(string message) => Write(LogLevel.Warning, message);

    public void Error(string message) => Write(LogLevel.Error, message);

    private void Write(LogLevel level, string message)
    {
        // A level nobody writes costs the script no token.
        if (!_logger.IsEnabled(level) || !_limiter.TryTake(out var droppedBefore))
        {
            return;
        }

        if (droppedBefore > 0)
        {
            Log.LinesDropped(_logger, _host, droppedBefore, _key.StoreName);
        }

        Log.Message(_logger, level, _host, ScriptText.Truncate(message));
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 1, Message = "script {Host}: {Text}")]
        public static partial void Message(ILogger logger, LogLevel level, string host, string text);

        [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "script {Host}: {Count} log lines dropped ({Script} logs more than Scripts:Log:LinesPerSecond allows)")]
        public static partial void LinesDropped(ILogger logger, string host, long count, string script);
    }
}
