using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// Which modules a script uses: those declaring a type, member or namespace that a name in the
/// script binds to, and, the same way, the modules those use. Read on the semantic model of a
/// compilation holding every module, so a script names a module by its namespace or class alone.
/// </summary>
internal static class ModuleDependencies
{
    /// <param name="modules">The compilation's module trees, with their module.</param>
    /// <returns>The modules reached from <paramref name="script"/>, in the order of <paramref name="modules"/>.</returns>
    public static IReadOnlyList<ScriptModule> Find(Microsoft.CodeAnalysis.Compilation compilation, SyntaxTree script, IReadOnlyDictionary<SyntaxTree, ScriptModule> modules, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(compilation);
        var reached = new HashSet<SyntaxTree>();
        var pending = new Queue<SyntaxTree>();
        pending.Enqueue(script);
        while (pending.TryDequeue(out var tree))
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var name in tree.GetRoot(cancellationToken).DescendantNodes().OfType<SimpleNameSyntax>())
            {
                var info = model.GetSymbolInfo(name, cancellationToken);
                foreach (var symbol in info.Symbol is { } one ? [one] : info.CandidateSymbols)
                {
                    foreach (var declared in DeclaredIn(symbol))
                    {
                        if (declared != tree && modules.ContainsKey(declared) && reached.Add(declared))
                        {
                            pending.Enqueue(declared);
                        }
                    }
                }
            }
        }

        return [.. modules.Where(m => reached.Contains(m.Key)).Select(static m => m.Value)];
    }

    // The trees declaring what a name bound to: a namespace (every tree declaring it), or a type or
    // member (its own declaration; an extension method called as one, its definition).
    private static IEnumerable<SyntaxTree> DeclaredIn(ISymbol symbol)
    {
        symbol = symbol switch
        {
            IMethodSymbol { ReducedFrom: { } reduced } => reduced,
            IAliasSymbol alias => alias.Target,
            _ => symbol,
        };
        symbol = symbol.OriginalDefinition;
        if (symbol is INamespaceSymbol ns)
        {
            return ns.IsGlobalNamespace ? [] : ns.DeclaringSyntaxReferences.Select(static r => r.SyntaxTree);
        }

        var trees = new List<SyntaxTree>();
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            trees.AddRange(current.DeclaringSyntaxReferences.Select(static r => r.SyntaxTree));
        }

        return trees;
    }
}
