using Microsoft.CodeAnalysis;

namespace Slardar.Scriptable.Scripting.Compilation.Worker;

/// <summary>
/// How deep a syntax tree nests, measured without recursion (an explicit stack), so that the check
/// itself cannot overflow on the trees it exists to refuse: keyword nesting (a <c>while</c> in a
/// <c>while</c> without braces), lambda chains and long binary chains (<c>1+1+…</c> is a left-deep
/// tree) that the gateway's bracket scan does not see. The binder and emitter recurse over the same
/// depth, which is what crashed or stalled Roslyn.
/// </summary>
internal static class SyntaxDepth
{
    /// <summary>The first node deeper than <paramref name="limit"/>, with its depth; null when none is.</summary>
    public static (SyntaxNode Node, int Depth)? FindDeeperThan(SyntaxNode root, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        var pending = new Stack<(SyntaxNode Node, int Depth)>();
        pending.Push((root, 1));
        while (pending.Count > 0)
        {
            var (node, depth) = pending.Pop();
            if (depth > limit)
            {
                return (node, depth);
            }

            if ((pending.Count & 0xFFF) == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
            }

            foreach (var child in node.ChildNodes())
            {
                pending.Push((child, depth + 1));
            }
        }

        return null;
    }
}
