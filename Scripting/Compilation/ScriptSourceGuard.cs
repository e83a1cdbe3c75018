using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// The guard rails on the script's source: every name, creation, indexer and operator the script
/// uses is resolved on the semantic model and checked, with the types of its signature, against the
/// allow list of <see cref="ScriptApiPolicy"/>; constructs with no place in a script (unsafe code,
/// <c>dynamic</c>, <c>stackalloc</c>, <c>typeof</c>, <c>lock</c>, extern functions) are refused, each
/// at the user's line. For trusted scripts too: names starting with <c>__</c> (they would reach the
/// budget hooks; checked on every token of the user's text by position, whatever <c>#line</c> says),
/// the preprocessor directives <see cref="ScriptSource"/> refused, <c>async void</c> (a throw after
/// its first await ends the process), and Regex matching methods used as delegates (the instrumenter
/// could not add their timeout).
/// </summary>
internal static class ScriptSourceGuard
{
    // Full names as the policy knows them: System.Object, not object.
    private static readonly SymbolDisplayFormat FullName = new(
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters);

    public static IReadOnlyList<Diagnostic> Check(SemanticModel model, GeneratedScript generated, ScriptSource source, bool trusted, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(generated);
        ArgumentNullException.ThrowIfNull(source);
        var tree = model.SyntaxTree;
        var root = tree.GetRoot(cancellationToken);
        var own = model.Compilation.Assembly;
        var found = new List<Diagnostic>();
        var reported = new HashSet<(TextSpan, string)>();

        void Report(DiagnosticDescriptor descriptor, Location at, params object[] args)
        {
            var diagnostic = Diagnostic.Create(descriptor, at, args);
            if (reported.Add((at.SourceSpan, diagnostic.GetMessage())))
            {
                found.Add(diagnostic);
            }
        }

        // The template blanked these out of the generated file (the body holds the whole text in place).
        foreach (var (span, directive) in source.RefusedDirectives)
        {
            var at = Location.Create(tree, new TextSpan(generated.BodyStart + span.Start, span.Length));
            Report(ScriptDiagnosticDescriptors.ForbiddenDirective, at, directive, directive == "#line"
                ? "it would hide lines from the guard rails and move the lines of errors"
                : "scripts are compiled as a method body, not as a C# script file");
        }

        // Every identifier of the user's text, whatever its line visibility; the template's own names
        // (__Script, __Create, the probe) are exempt by where they are, not by #line hidden.
        foreach (var token in root.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken)
                && token.ValueText.StartsWith("__", StringComparison.Ordinal)
                && generated.IsUserText(token.Span))
            {
                Report(ScriptDiagnosticDescriptors.ReservedName, token.GetLocation(), token.ValueText);
            }
        }

        // What the budget depends on, for trusted scripts too: a delegate to a Regex matching method
        // would run without the timeout, an async void function throwing ends the process.
        foreach (var node in root.DescendantNodes(n => !IsNameOfOperator(n, model, cancellationToken)))
        {
            if (node is SimpleNameSyntax name
                && generated.IsUserText(name.Span)
                && Resolve(name, model, cancellationToken) is IMethodSymbol method
                && ScriptInstrumenter.IsTimedRegexMethod(method)
                && !IsInvoked(name))
            {
                Report(ScriptDiagnosticDescriptors.RegexMethodGroup, name.GetLocation(), "Regex." + method.Name);
            }
            else if (IsAsyncVoid(node, model, cancellationToken))
            {
                var at = node is LocalFunctionStatementSyntax function ? function.Identifier.GetLocation() : node.GetFirstToken().GetLocation();
                Report(ScriptDiagnosticDescriptors.ForbiddenConstruct, at, "async void", "an exception it throws after its first await ends the process; return a Task");
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
                Report(ScriptDiagnosticDescriptors.ForbiddenConstruct, node.GetLocation(), construct.Name, construct.Reason);
                continue;
            }

            if (node is ExpressionSyntax expression && model.GetTypeInfo(expression, cancellationToken).Type is { TypeKind: TypeKind.Dynamic })
            {
                Report(ScriptDiagnosticDescriptors.ForbiddenConstruct, node.GetLocation(), "dynamic", ScriptApiPolicy.Dynamic);
                continue;
            }

            if (UsedSymbol(node, model, cancellationToken) is { } symbol && Check(symbol, own) is { } denied)
            {
                Report(ScriptDiagnosticDescriptors.ForbiddenApi, node.GetLocation(), denied.Display, denied.Reason);
            }
        }

        return found;
    }

    // The name is called (Regex.IsMatch(...)), not converted to a delegate.
    private static bool IsInvoked(SimpleNameSyntax name) =>
        WholeName(name) is var whole && whole.Parent is InvocationExpressionSyntax invocation && invocation.Expression == whole;

    private static bool IsAsyncVoid(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (node)
        {
            case LocalFunctionStatementSyntax function when function.Modifiers.Any(SyntaxKind.AsyncKeyword):
                return model.GetDeclaredSymbol(function, cancellationToken) is IMethodSymbol { ReturnsVoid: true };
            case AnonymousFunctionExpressionSyntax lambda when lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword):
                return model.GetSymbolInfo(lambda, cancellationToken).Symbol is IMethodSymbol { ReturnsVoid: true };
            default:
                return false;
        }
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

    private static (string Display, string Reason)? Check(ISymbol symbol, IAssemblySymbol own)
    {
        switch (symbol)
        {
            case IAliasSymbol alias:
                return Check(alias.Target, own);
            case ITypeSymbol type:
                return CheckType(type, own);
            case IMethodSymbol { MethodKind: MethodKind.LocalFunction or MethodKind.AnonymousFunction }:
                return null;
            case IMethodSymbol or IPropertySymbol or IFieldSymbol or IEventSymbol when symbol.ContainingType is { } containing:
                if (IsOwn(containing, own))
                {
                    return null;
                }

                var (memberNs, typeName) = Outermost(containing);
                var generic = symbol is IMethodSymbol { IsGenericMethod: true };
                if (ScriptApiPolicy.CheckMember(memberNs, typeName, symbol.Name, generic, ApiLayer.Source) is { } memberReason)
                {
                    return (Display(symbol, containing), memberReason);
                }

                // The compiled image names every type of the member's signature: report a refused one
                // here, with its line (e.g. an overload taking a System.Type).
                foreach (var used in SignatureTypes(symbol))
                {
                    if (CheckType(used, own) is { } signature)
                    {
                        return (Display(symbol, containing), $"its signature uses '{signature.Display}': {signature.Reason}");
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static (string Display, string Reason)? CheckType(ITypeSymbol type, IAssemblySymbol own)
    {
        switch (type)
        {
            case IArrayTypeSymbol array:
                return CheckType(array.ElementType, own);
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol:
                return (type.ToDisplayString(FullName), ScriptApiPolicy.Unsafe);
            case { TypeKind: TypeKind.Dynamic }:
                return ("dynamic", ScriptApiPolicy.Dynamic);
            case INamedTypeSymbol named:
                if (!IsOwn(named, own))
                {
                    var (ns, name) = Outermost(named);
                    if (ScriptApiPolicy.CheckType(ns, name, ApiLayer.Source) is { } reason)
                    {
                        return (named.OriginalDefinition.ToDisplayString(FullName), reason);
                    }
                }

                foreach (var argument in named.TypeArguments)
                {
                    if (CheckType(argument, own) is { } denied)
                    {
                        return denied;
                    }
                }

                return null;
            default:
                return null; // type parameters, errors
        }
    }

    // Types the script's own compilation defines: the generated class, anonymous types and delegates.
    private static bool IsOwn(INamedTypeSymbol type, IAssemblySymbol own) =>
        type.IsAnonymousType || SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, own);

    private static IEnumerable<ITypeSymbol> SignatureTypes(ISymbol member) => member switch
    {
        IMethodSymbol method => method.Parameters.Select(static p => p.Type).Prepend(method.ReturnType),
        IPropertySymbol property => property.Parameters.Select(static p => p.Type).Prepend(property.Type),
        IFieldSymbol field => [field.Type],
        IEventSymbol @event => [@event.Type],
        _ => [],
    };

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
