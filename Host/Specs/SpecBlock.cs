namespace Slardar.Scriptable.Host.Specs;

/// <summary>
/// One <c>=== Test N: name</c> block: optional setup, the request to send, and what the response must
/// be (status line, headers, body or pattern) and satisfy (C# assertions).
/// </summary>
/// <param name="Line">The line of its <c>===</c> header in the spec file (1-based).</param>
/// <param name="EndLine">Its last line with text (so a UI can mark the block's lines).</param>
internal sealed record SpecBlock(int Number, string Name, int Line, int EndLine, IReadOnlyList<SpecSetup> Setup, SpecSection Request, SpecSection? Response, SpecSection? Eval);
