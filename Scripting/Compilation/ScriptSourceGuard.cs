using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// The guard rails on the script's source: every name, creation, indexer and operator the script
/// uses is resolved on the semantic model and checked against <see cref="ScriptApiPolicy"/>, and
/// constructs with no place in a script (unsafe code, <c>dynamic</c>, <c>stackalloc</c>,
/// <c>typeof</c>, <c>lock</c>, extern functions) are refused, each at the user's line. Names starting
/// with <c>__</c> are refused even for trusted scripts: they would reach the budget hooks.
/// </summary>
internal static class ScriptSourceGuard
{
    // Full names as the policy knows them: System.Object, not object.
    private static readonly SymbolDisplayFormat FullName = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    public static IReadOnlyList<Diagnostic> Check(SemanticModel model, bool trusted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tree = model.SyntaxTree;
        var root = tree.GetRoot(cancellationToken);
        var found = new List<Diagnostic>();
        var reported = new HashSet<(TextSpan, string)>();

        void Report(DiagnosticDescriptor descriptor, SyntaxNodeOrToken at, params object[] args)
        {
            var diagnostic = Diagnostic.Create(descriptor, at.GetLocation(), args);
            if (reported.Add((at.Span, diagnostic.GetMessage())))
            {
                found.Add(diagnostic);
            }
        }

        foreach (var token in root.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken)
                && token.ValueText.StartsWith("__", StringComparison.Ordinal)
                && tree.GetLineVisibility(token.SpanStart, cancellationToken) != LineVisibility.Hidden)
            {
                Report(ScriptDiagnosticDescriptors.ReservedName, token, token.ValueText);
            }
        }

        if (trusted)
        {
            return found;
        }

        // nameof(...) only produces a string at compile time: what it names is not used.
        foreach (var node in root.DescendantNodes(n => !IsNameOfOperator(n, model, cancellationToken)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Construct(node) is { } construct)
            {
                Report(ScriptDiagnosticDescriptors.ForbiddenConstruct, node, construct.Name, construct.Reason);
                continue;
            }

            if (node is ExpressionSyntax expression && model.GetTypeInfo(expression, cancellationToken).Type is { TypeKind: TypeKind.Dynamic })
            {
                Report(ScriptDiagnosticDescriptors.ForbiddenConstruct, node, "dynamic", ScriptApiPolicy.Dynamic);
                continue;
            }

            if (UsedSymbol(node, model, cancellationToken) is { } symbol && Check(symbol) is { } denied)
            {
                Report(ScriptDiagnosticDescriptors.ForbiddenApi, node, denied.Display, denied.Reason);
            }
        }

        return found;
    }

    private static (string Name, string Reason)? Construct(SyntaxNode node) => node switch
    {
        UnsafeStatementSyntax => ("unsafe", ScriptApiPolicy.Unsafe),
        FixedStatementSyntax => ("fixed", ScriptApiPolicy.Unsafe),
        PointerTypeSyntax or FunctionPointerTypeSyntax => ("A pointer type", ScriptApiPolicy.Unsafe),
        StackAllocArrayCreationExpressionSyntax or ImplicitStackAllocArrayCreationExpressionSyntax
            => ("stackalloc", "a large one overflows the stack, which ends the process"),
        LocalFunctionStatementSyntax f when f.Modifiers.Any(SyntaxKind.UnsafeKeyword) => ("An unsafe local function", ScriptApiPolicy.Unsafe),
        LocalFunctionStatementSyntax f when f.Modifiers.Any(SyntaxKind.ExternKeyword) => ("An extern local function", ScriptApiPolicy.Interop),
        LockStatementSyntax => ("lock", ScriptApiPolicy.Threads),
        TypeOfExpressionSyntax => ("typeof", ScriptApiPolicy.Reflection),
        MakeRefExpressionSyntax or RefTypeExpressionSyntax or RefValueExpressionSyntax => ("A typed reference", ScriptApiPolicy.Interop),
        _ when node.IsKind(SyntaxKind.ArgListExpression) => ("__arglist", ScriptApiPolicy.Interop),
        _ => null,
    };

    private static ISymbol? UsedSymbol(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (node)
        {
            case IdentifierNameSyntax { IsVar: true }:
                return null;

            case SimpleNameSyntax name:
                var symbol = Resolve(name, model, cancellationToken);

                // A type named only to reach a member or a constructor: the member or constructor
                // is reported instead, with the more precise name, and only once.
                var whole = WholeName(name);
                return symbol is ITypeSymbol && whole.Parent switch
                {
                    MemberAccessExpressionSyntax access => access.Expression == whole,
                    ObjectCreationExpressionSyntax creation => creation.Type == whole,
                    QualifiedNameSyntax qualified => qualified.Left == whole,
                    _ => false,
                }
                    ? null
                    : symbol;

            case BaseObjectCreationExpressionSyntax:
            case ElementAccessExpressionSyntax:
            case BinaryExpressionSyntax:
            case AssignmentExpressionSyntax:
            case PrefixUnaryExpressionSyntax:
            case PostfixUnaryExpressionSyntax:
            case CastExpressionSyntax:
                return Resolve(node, model, cancellationToken);

            default:
                return null;
        }
    }

    private static ISymbol? Resolve(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        var info = model.GetSymbolInfo(node, cancellationToken);
        return info.Symbol ?? info.CandidateSymbols.FirstOrDefault();
    }

    // The largest name or member access that ends with name: A.B.Name for Name.
    private static SyntaxNode WholeName(SimpleNameSyntax name) => name.Parent switch
    {
        QualifiedNameSyntax qualified when qualified.Right == name => qualified,
        MemberAccessExpressionSyntax access when access.Name == name => access,
        AliasQualifiedNameSyntax alias when alias.Name == name => alias,
        _ => name,
    };

    private static (string Display, string Reason)? Check(ISymbol symbol)
    {
        switch (symbol)
        {
            case IAliasSymbol alias:
                return Check(alias.Target);
            case IArrayTypeSymbol array:
                return Check(array.ElementType);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return (symbol.ToDisplayString(FullName), ScriptApiPolicy.Unsafe);
            case ITypeSymbol { TypeKind: TypeKind.Dynamic }:
                return ("dynamic", ScriptApiPolicy.Dynamic);
            case INamedTypeSymbol type:
                var (ns, name) = Outermost(type);
                return ScriptApiPolicy.CheckType(ns, name, ApiLayer.Source) is { } typeReason ? (type.OriginalDefinition.ToDisplayString(FullName), typeReason) : null;
            case IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction }:
                return null;
            case IMethodSymbol or IPropertySymbol or IFieldSymbol or IEventSymbol when symbol.ContainingType is { } containing:
                var (memberNs, typeName) = Outermost(containing);
                var generic = symbol is IMethodSymbol { IsGenericMethod: true };
                return ScriptApiPolicy.CheckMember(memberNs, typeName, symbol.Name, generic, ApiLayer.Source) is { } memberReason
                    ? (Display(symbol, containing), memberReason)
                    : null;
            default:
                return null;
        }
    }

    private static (string Namespace, string Name) Outermost(INamedTypeSymbol type)
    {
        while (type.ContainingType is { } outer)
        {
            type = outer;
        }

        var ns = type.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : string.Empty;
        return (ns, type.Name);
    }

    private static string Display(ISymbol member, INamedTypeSymbol containing)
    {
        var type = containing.OriginalDefinition.ToDisplayString(FullName);
        return member is IMethodSymbol { MethodKind: MethodKind.Constructor } ? "new " + type : type + "." + member.Name;
    }

    private static bool IsNameOfOperator(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken) =>
        node is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } } invocation
        && model.GetSymbolInfo(invocation.Expression, cancellationToken).Symbol is null;
}
