using Slardar.Scriptable.Host.Routing;
using Slardar.Scriptable.Host.Streams;
using Slardar.Scriptable.Scripting;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>Which script: a host pattern (as in scripts.json: host, <c>*.suffix</c> or <c>_</c>) or a stream listener's <c>stream:&lt;port&gt;</c>, and a phase.</summary>
internal readonly record struct ScriptKey(string Pattern, ScriptPhase Phase)
{
    public string PhaseName => ScriptPhases.Of(Phase).Name;

    /// <summary>The store's document name: <c>&lt;pattern&gt;/&lt;phase&gt;</c>.</summary>
    public string StoreName => $"{Pattern}/{PhaseName}";

    public override string ToString() => StoreName;

    /// <summary>Parses a pattern and an optional phase (default rewrite, as Slardar's one script per host; preread for <c>stream:&lt;port&gt;</c>).</summary>
    public static bool TryCreate(string pattern, string? phase, out ScriptKey key, out string? error)
    {
        key = default;
        error = null;
        var normalized = pattern.Trim().ToLowerInvariant();
        var stream = StreamScriptNames.IsPattern(normalized);
        if (!stream && !ManifestParser.IsValidPattern(normalized))
        {
            error = $"\"{pattern}\" is not a host name, a \"*.suffix\" wildcard, \"_\" or \"stream:<port>\"";
            return false;
        }

        // A stream listener has the connection-stage phase only; a host has every other one.
        var preread = ScriptPhases.Of(ScriptPhase.Preread).Name;
        if (!TryParsePhase(phase ?? (stream ? preread : ScriptPhases.Default.Name), out var parsed)
            || stream != (ScriptPhases.Of(parsed).Stage == ScriptStage.Connection))
        {
            error = stream
                ? $"unknown phase \"{phase}\" for a stream listener (expected {preread})"
                : $"unknown phase \"{phase}\" (expected one of {ScriptPhases.HostPhaseNames}; {preread} is for stream:<port>)";
            return false;
        }

        key = new ScriptKey(normalized, parsed);
        return true;
    }

    public static bool TryParseStoreName(string name, out ScriptKey key)
    {
        var slash = name.LastIndexOf('/');
        key = default;
        return slash > 0 && TryCreate(name[..slash], name[(slash + 1)..], out key, out _);
    }

    public static bool TryParsePhase(string text, out ScriptPhase phase)
    {
        var found = ScriptPhases.TryParse(text, out var model);
        phase = found ? model.Phase : default;
        return found;
    }
}
