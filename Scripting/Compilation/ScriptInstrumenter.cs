using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// Rewrites a compiled-clean script so it can be stopped: every loop body and every <c>goto</c>
/// starts with <c>__Tick(line);</c>, and every local function, lambda and anonymous method body becomes
/// <c>{ __Enter(line); try { body } finally { __Exit(); } }</c> (ticks, depth and stack guard). Their
/// <c>static</c> modifiers go, since the hooks are instance members of the script.
/// <para>
/// The inserted code carries no line breaks and every removed token's trivia is kept, so each user
/// token stays on its line: the PDB, and with it the line of a failure, stays the user's. Columns
/// move, which is why diagnostics come from the compilation before this rewrite. Expression bodies
/// become blocks according to the function's return type, read from the semantic model of that
/// compilation.
/// </para>
/// </summary>
internal sealed class ScriptInstrumenter : CSharpSyntaxRewriter
{
    private static readonly FinallyClauseSyntax ExitFinally = FinallyClause(Block(ParseStatement("__Exit();")));

    private readonly SemanticModel _model;
    private readonly CancellationToken _cancellationToken;

    private ScriptInstrumenter(SemanticModel model, CancellationToken cancellationToken)
    {
        _model = model;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The instrumented root of <paramref name="model"/>'s tree.</summary>
    /// <exception cref="InvalidOperationException">A function whose return type could not be determined.</exception>
    public static SyntaxNode Instrument(SemanticModel model, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ScriptInstrumenter(model, cancellationToken).Visit(model.SyntaxTree.GetRoot(cancellationToken));
    }

    public override SyntaxNode? VisitWhileStatement(WhileStatementSyntax node)
    {
        var visited = (WhileStatementSyntax)base.VisitWhileStatement(node)!;
        return visited.WithStatement(WithTick(visited.Statement, Hook("__Tick", node)));
    }

    public override SyntaxNode? VisitDoStatement(DoStatementSyntax node)
    {
        var visited = (DoStatementSyntax)base.VisitDoStatement(node)!;
        return visited.WithStatement(WithTick(visited.Statement, Hook("__Tick", node)));
    }

    public override SyntaxNode? VisitForStatement(ForStatementSyntax node)
    {
        var visited = (ForStatementSyntax)base.VisitForStatement(node)!;
        return visited.WithStatement(WithTick(visited.Statement, Hook("__Tick", node)));
    }

    public override SyntaxNode? VisitForEachStatement(ForEachStatementSyntax node)
    {
        var visited = (ForEachStatementSyntax)base.VisitForEachStatement(node)!;
        return visited.WithStatement(WithTick(visited.Statement, Hook("__Tick", node)));
    }

    public override SyntaxNode? VisitForEachVariableStatement(ForEachVariableStatementSyntax node)
    {
        var visited = (ForEachVariableStatementSyntax)base.VisitForEachVariableStatement(node)!;
        return visited.WithStatement(WithTick(visited.Statement, Hook("__Tick", node)));
    }

    public override SyntaxNode? VisitGotoStatement(GotoStatementSyntax node)
    {
        var visited = (GotoStatementSyntax)base.VisitGotoStatement(node)!;
        return Wrap(visited, Hook("__Tick", node));
    }

    public override SyntaxNode? VisitLocalFunctionStatement(LocalFunctionStatementSyntax node)
    {
        var symbol = _model.GetDeclaredSymbol(node, _cancellationToken);
        var visited = (LocalFunctionStatementSyntax)base.VisitLocalFunctionStatement(node)!;
        if (visited.Body is null && visited.ExpressionBody is null)
        {
            return visited; // extern: nothing to run
        }

        var enter = Hook("__Enter", node);
        visited = WithoutStatic(visited, visited.Modifiers, static (f, modifiers) => f.WithModifiers(modifiers));
        if (visited.Body is { } body)
        {
            return visited.WithBody(Guard(body, enter));
        }

        // int F() => expr;  becomes  int F() { __Enter(); try { return expr; } finally { __Exit(); } }
        // keeping the trivia of "=>" and ";" (the latter usually ends the line).
        var arrow = visited.ExpressionBody!.ArrowToken;
        var semicolon = visited.SemicolonToken;
        var block = Guard(ExpressionAsStatement(visited.ExpressionBody.Expression, ReturnsValue(symbol, node)), enter)
            .WithLeadingTrivia(arrow.LeadingTrivia.AddRange(arrow.TrailingTrivia))
            .WithTrailingTrivia(semicolon.LeadingTrivia.AddRange(semicolon.TrailingTrivia));
        return visited.WithExpressionBody(null).WithSemicolonToken(default).WithBody(block);
    }

    public override SyntaxNode? VisitParenthesizedLambdaExpression(ParenthesizedLambdaExpressionSyntax node) =>
        InstrumentFunction(node, (AnonymousFunctionExpressionSyntax)base.VisitParenthesizedLambdaExpression(node)!);

    public override SyntaxNode? VisitSimpleLambdaExpression(SimpleLambdaExpressionSyntax node) =>
        InstrumentFunction(node, (AnonymousFunctionExpressionSyntax)base.VisitSimpleLambdaExpression(node)!);

    public override SyntaxNode? VisitAnonymousMethodExpression(AnonymousMethodExpressionSyntax node) =>
        InstrumentFunction(node, (AnonymousFunctionExpressionSyntax)base.VisitAnonymousMethodExpression(node)!);

    private AnonymousFunctionExpressionSyntax InstrumentFunction(AnonymousFunctionExpressionSyntax original, AnonymousFunctionExpressionSyntax visited)
    {
        var symbol = _model.GetSymbolInfo(original, _cancellationToken).Symbol as IMethodSymbol;
        var enter = Hook("__Enter", original);
        visited = WithoutStatic(visited, visited.Modifiers, static (f, modifiers) => f.WithModifiers(modifiers));
        if (visited.Block is { } body)
        {
            return visited.WithBlock(Guard(body, enter));
        }

        // x => expr  becomes  x => { __Enter(); try { return expr; } finally { __Exit(); } }
        var expression = visited.ExpressionBody!;
        var block = Guard(ExpressionAsStatement(expression.WithoutTrivia(), ReturnsValue(symbol, original)), enter)
            .WithLeadingTrivia(expression.GetLeadingTrivia())
            .WithTrailingTrivia(expression.GetTrailingTrivia());
        return visited.WithExpressionBody(null).WithBlock(block);
    }

    // __Tick(line); or __Enter(line);  The line is the user's line of the loop, jump or function, so
    // that a budget overrun names it exactly (stack traces of optimized code need not).
    private static ExpressionStatementSyntax Hook(string name, SyntaxNode at)
    {
        var line = at.GetLocation().GetMappedLineSpan().StartLinePosition.Line + 1;
        var argument = Argument(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(line)));
        return ExpressionStatement(InvocationExpression(IdentifierName(name), ArgumentList(SingletonSeparatedList(argument))));
    }

    // { __Enter(line); try { ...body... } finally { __Exit(); } }, with the body's outer trivia outside.
    private static BlockSyntax Guard(BlockSyntax body, StatementSyntax enter) =>
        Block(enter, TryStatement(body.WithoutTrivia(), default, ExitFinally))
            .WithLeadingTrivia(body.GetLeadingTrivia())
            .WithTrailingTrivia(body.GetTrailingTrivia());

    // The tick goes right after the opening brace, before the brace's own trivia, so that whatever
    // followed the brace (a line break, a directive) stays where it was.
    private static BlockSyntax WithTick(StatementSyntax body, StatementSyntax tick)
    {
        if (body is BlockSyntax block)
        {
            var open = block.OpenBraceToken;
            return block
                .WithOpenBraceToken(open.WithTrailingTrivia())
                .WithStatements(block.Statements.Insert(0, tick.WithTrailingTrivia(open.TrailingTrivia)));
        }

        return Wrap(body, tick);
    }

    // { first; statement } with the statement's outer trivia outside the new braces.
    private static BlockSyntax Wrap(StatementSyntax statement, StatementSyntax first) =>
        Block(first, statement.WithoutTrivia())
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithTrailingTrivia(statement.GetTrailingTrivia());

    private static BlockSyntax ExpressionAsStatement(ExpressionSyntax expression, bool returnsValue)
    {
        StatementSyntax statement = expression switch
        {
            ThrowExpressionSyntax thrown => ThrowStatement(Token(SyntaxKind.ThrowKeyword).WithTrailingTrivia(Space), thrown.Expression, Token(SyntaxKind.SemicolonToken)),
            _ when returnsValue => ReturnStatement(Token(SyntaxKind.ReturnKeyword).WithTrailingTrivia(Space), expression, Token(SyntaxKind.SemicolonToken)),
            _ => ExpressionStatement(expression),
        };
        return Block(statement);
    }

    // Whether an expression body is a value to return: not for void, nor for async functions returning
    // a non-generic task (Task, ValueTask), whose expression is awaited or run for its effect.
    private static bool ReturnsValue(IMethodSymbol? symbol, SyntaxNode function)
    {
        if (symbol is null)
        {
            var line = function.GetLocation().GetMappedLineSpan().StartLinePosition.Line + 1;
            throw new InvalidOperationException($"the function on line {line} has no resolved signature");
        }

        return !symbol.ReturnsVoid && !(symbol.IsAsync && symbol.ReturnType is INamedTypeSymbol { Arity: 0 });
    }

    // Drops a "static" modifier, handing its trivia to the token after it so no line moves.
    private static T WithoutStatic<T>(T node, SyntaxTokenList modifiers, Func<T, SyntaxTokenList, T> withModifiers)
        where T : SyntaxNode
    {
        var index = modifiers.IndexOf(SyntaxKind.StaticKeyword);
        if (index < 0)
        {
            return node;
        }

        var removed = modifiers[index];
        var next = removed.GetNextToken();
        var kept = removed.TrailingTrivia.Where(static t => !t.IsKind(SyntaxKind.WhitespaceTrivia));
        var carried = removed.LeadingTrivia.AddRange(kept).AddRange(next.LeadingTrivia);
        var moved = node.ReplaceToken(next, next.WithLeadingTrivia(carried));
        return withModifiers(moved, GetModifiers(moved, modifiers.Count).RemoveAt(index));
    }

    private static SyntaxTokenList GetModifiers(SyntaxNode node, int expectedCount)
    {
        var modifiers = node switch
        {
            LocalFunctionStatementSyntax f => f.Modifiers,
            AnonymousFunctionExpressionSyntax f => f.Modifiers,
            _ => throw new InvalidOperationException($"unexpected {node.Kind()}"),
        };
        return modifiers.Count == expectedCount ? modifiers : throw new InvalidOperationException("modifiers changed while moving trivia");
    }
}
