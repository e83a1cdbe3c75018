using System.Collections.Concurrent;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Tests.Scripting.Support;

internal sealed class RecordingScriptLog : IScriptLog
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public void Debug(string message) => Lines.Enqueue("debug: " + message);

    public void Info(string message) => Lines.Enqueue("info: " + message);

    public void Warn(string message) => Lines.Enqueue("warn: " + message);

    public void Error(string message) => Lines.Enqueue("error: " + message);
}
