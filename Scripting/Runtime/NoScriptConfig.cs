using System.Text.Json;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary><c>Config</c> when the host provides none (no Consul): every key is absent.</summary>
internal sealed class NoScriptConfig : IScriptConfig
{
    public static NoScriptConfig Instance { get; } = new();

    public JsonElement? this[string key] => null;

    public ValueTask<JsonElement?> GetAsync(string key) => ValueTask.FromResult<JsonElement?>(null);
}
