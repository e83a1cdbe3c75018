using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// Module code only: the bodies of methods, constructors, operators and accessors get the same
/// <c>__Enter</c>/<c>__Exit</c> guard (or the iterator probe) as a script's local functions, and an
/// expression-bodied property or indexer becomes a getter with a guarded body. Lines are kept as for
/// local functions: the trivia of <c>=&gt;</c> and <c>;</c> moves onto the new block.
/// </summary>
internal sealed partial class ScriptInstrumenter
{
    public override SyntaxNode? VisitMethodDeclaration(MethodDeclarationSyntax node)
    {
        var visited = (MethodDeclarationSyntax)base.VisitMethodDeclaration(node)!;
        return IsModule
            ? GuardMember(node, visited, visited.Body, visited.ExpressionBody, visited.SemicolonToken, _model.GetDeclaredSymbol(node, _cancellationToken),
                static (m, body) => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body))
            : visited;
    }

    public override SyntaxNode? VisitConstructorDeclaration(ConstructorDeclarationSyntax node)
    {
        var visited = (ConstructorDeclarationSyntax)base.VisitConstructorDeclaration(node)!;
        return IsModule
            ? GuardMember(node, visited, visited.Body, visited.ExpressionBody, visited.SemicolonToken, _model.GetDeclaredSymbol(node, _cancellationToken),
                static (m, body) => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body))
            : visited;
    }

    public override SyntaxNode? VisitOperatorDeclaration(OperatorDeclarationSyntax node)
    {
        var visited = (OperatorDeclarationSyntax)base.VisitOperatorDeclaration(node)!;
        return IsModule
            ? GuardMember(node, visited, visited.Body, visited.ExpressionBody, visited.SemicolonToken, _model.GetDeclaredSymbol(node, _cancellationToken),
                static (m, body) => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body))
            : visited;
    }

    public override SyntaxNode? VisitConversionOperatorDeclaration(ConversionOperatorDeclarationSyntax node)
    {
        var visited = (ConversionOperatorDeclarationSyntax)base.VisitConversionOperatorDeclaration(node)!;
        return IsModule
            ? GuardMember(node, visited, visited.Body, visited.ExpressionBody, visited.SemicolonToken, _model.GetDeclaredSymbol(node, _cancellationToken),
                static (m, body) => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body))
            : visited;
    }

    public override SyntaxNode? VisitAccessorDeclaration(AccessorDeclarationSyntax node)
    {
        var visited = (AccessorDeclarationSyntax)base.VisitAccessorDeclaration(node)!;
        return IsModule
            ? GuardMember(node, visited, visited.Body, visited.ExpressionBody, visited.SemicolonToken, _model.GetDeclaredSymbol(node, _cancellationToken),
                static (m, body) => m.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body))
            : visited;
    }

    public override SyntaxNode? VisitPropertyDeclaration(PropertyDeclarationSyntax node)
    {
        var visited = (PropertyDeclarationSyntax)base.VisitPropertyDeclaration(node)!;
        if (!IsModule || visited.ExpressionBody is not { } arrow)
        {
            return visited;
        }

        var getter = Getter(node, arrow, visited.SemicolonToken, _model.GetDeclaredSymbol(node, _cancellationToken)?.GetMethod);
        return visited.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(getter);
    }

    public override SyntaxNode? VisitIndexerDeclaration(IndexerDeclarationSyntax node)
    {
        var visited = (IndexerDeclarationSyntax)base.VisitIndexerDeclaration(node)!;
        if (!IsModule || visited.ExpressionBody is not { } arrow)
        {
            return visited;
        }

        var getter = Getter(node, arrow, visited.SemicolonToken, _model.GetDeclaredSymbol(node, _cancellationToken)?.GetMethod);
        return visited.WithExpressionBody(null).WithSemicolonToken(default).WithAccessorList(getter);
    }

    // int X => expr;  becomes  int X { get { __Enter(line); try { return expr; } finally { __Exit(); } } }
    private AccessorListSyntax Getter(SyntaxNode original, ArrowExpressionClauseSyntax arrow, SyntaxToken semicolon, IMethodSymbol? symbol)
    {
        var block = Guard(ExpressionAsStatement(arrow.Expression.WithoutTrivia(), ReturnsValue(symbol, original)), Hook("__Enter", original));
        var get = AccessorDeclaration(SyntaxKind.GetAccessorDeclaration, block);
        return AccessorList(SingletonList(get))
            .WithLeadingTrivia(arrow.ArrowToken.LeadingTrivia.AddRange(arrow.ArrowToken.TrailingTrivia).AddRange(arrow.Expression.GetLeadingTrivia()))
            .WithTrailingTrivia(arrow.Expression.GetTrailingTrivia().AddRange(semicolon.LeadingTrivia).AddRange(semicolon.TrailingTrivia));
    }

    private T GuardMember<T>(SyntaxNode original, T visited, BlockSyntax? body, ArrowExpressionClauseSyntax? arrow, SyntaxToken semicolon, ISymbol? declared, Func<T, BlockSyntax, T> withBody)
        where T : SyntaxNode
    {
        var symbol = declared as IMethodSymbol;
        if (body is null && arrow is null)
        {
            return visited; // abstract, partial, extern or an auto-accessor: nothing runs here
        }

        if (symbol is { IsIterator: true } && body is not null)
        {
            return withBody(visited, WithTick(body, Hook(ScriptTemplate.ProbeCall, original)));
        }

        var enter = Hook("__Enter", original);
        if (body is not null)
        {
            return withBody(visited, Guard(body, enter));
        }

        var block = Guard(ExpressionAsStatement(arrow!.Expression.WithoutTrivia(), ReturnsValue(symbol, original)), enter)
            .WithLeadingTrivia(arrow.ArrowToken.LeadingTrivia.AddRange(arrow.ArrowToken.TrailingTrivia).AddRange(arrow.Expression.GetLeadingTrivia()))
            .WithTrailingTrivia(arrow.Expression.GetTrailingTrivia().AddRange(semicolon.LeadingTrivia).AddRange(semicolon.TrailingTrivia));
        return withBody(visited, block);
    }
}
