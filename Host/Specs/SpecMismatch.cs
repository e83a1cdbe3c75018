namespace Slardar.Scriptable.Host.Specs;

/// <summary>One way a block failed: what (status, header X, body, assertion, setup...), at which spec line, expected and actual.</summary>
internal sealed record SpecMismatch(string What, int Line, string? Expected, string? Actual);
