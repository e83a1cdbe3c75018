namespace Slardar.Scriptable.Host.Specs;

/// <summary>The outcome of one block: it passed, or the ways it did not.</summary>
internal sealed record SpecBlockResult(int Number, string Name, int Line, IReadOnlyList<SpecMismatch> Mismatches)
{
    public bool Pass => Mismatches.Count == 0;
}
