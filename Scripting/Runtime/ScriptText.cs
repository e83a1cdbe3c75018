namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// Caps text a script controls (its log lines, its exception messages) before the gateway writes
/// it anywhere: one request must not be able to write megabytes to the log.
/// </summary>
internal static class ScriptText
{
    /// <summary>The most characters of a script's line or message that are kept (4 KiB of ASCII).</summary>
    public const int MaxChars = 4096;

    /// <summary><paramref name="text"/>, or its first <see cref="MaxChars"/> characters and <c>…[truncated N chars]</c>.</summary>
    public static string Truncate(string? text)
    {
        if (text is null || text.Length <= MaxChars)
        {
            return text ?? string.Empty;
        }

        // Never split a surrogate pair: half of one is not text.
        var kept = char.IsHighSurrogate(text[MaxChars - 1]) ? MaxChars - 1 : MaxChars;
        return string.Concat(text.AsSpan(0, kept), $"…[truncated {text.Length - kept} chars]");
    }
}
