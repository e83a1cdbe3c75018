namespace Slardar.Scriptable.Host.Specs;

/// <summary>A parsed spec: its blocks in file order, and the folder <c>&lt; path</c> setup lines read from (null: none may).</summary>
internal sealed record SpecFile(IReadOnlyList<SpecBlock> Blocks, string? BaseFolder);
