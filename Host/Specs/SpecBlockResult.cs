namespace Slardar.Scriptable.Host.Specs;

/// <summary>The outcome of one block: it passed, or the ways it did not; <paramref name="Line"/> to <paramref name="EndLine"/> are its lines in the spec.</summary>
internal sealed record SpecBlockResult(int Number, string Name, int Line, int EndLine, IReadOnlyList<SpecMismatch> Mismatches)
{
    public bool Pass => Mismatches.Count == 0;
}
