using System.Collections.Frozen;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// Rewrites a compiled-clean script so it can be stopped: every loop body and every <c>goto</c>
/// starts with <c>__Tick(line);</c>, and every local function, lambda and anonymous method body becomes
/// <c>{ __Enter(line); try { body } finally { __Exit(); } }</c> (ticks, depth and stack guard). Their
/// <c>static</c> modifiers go, since the hooks are instance members of the script. Iterators instead
/// start each step with <c>__Probe(line);</c> (at their start and after every <c>yield return</c>):
/// a try/finally around a body that may be abandoned between steps would keep its depth level.
/// Every <c>Regex</c> constructor and static matching call gets <c>matchTimeout: __RegexTimeout()</c>
/// (the budget's remaining time), its arguments named so the overload with a timeout is chosen.
/// <para>
/// The inserted code carries no line breaks and every removed token's trivia is kept, so each user
/// token stays on its line: the PDB, and with it the line of a failure, stays the user's. Columns
/// move, which is why diagnostics come from the compilation before this rewrite. Expression bodies
/// become blocks according to the function's return type, read from the semantic model of that
/// compilation.
/// </para>
/// </summary>
internal sealed partial class ScriptInstrumenter : CSharpSyntaxRewriter
{
    private static readonly FrozenSet<string> TimedRegexMethods = FrozenSet.Create(
        StringComparer.Ordinal, "IsMatch", "Match", "Matches", "Replace", "Split", "Count", "EnumerateMatches", "EnumerateSplits");

    /// <summary>Where module code finds its hooks (it has no script instance to call them on).</summary>
    private const string ModuleHooks = "global::Slardar.Scriptable.Scripting.Api.ScriptModuleHooks.";

    private readonly SemanticModel _model;
    private readonly CancellationToken _cancellationToken;
    private readonly string _hooks;
    private readonly FinallyClauseSyntax _exitFinally;

    private ScriptInstrumenter(SemanticModel model, bool module, CancellationToken cancellationToken)
    {
        _model = model;
        _cancellationToken = cancellationToken;
        _hooks = module ? ModuleHooks : string.Empty;
        _exitFinally = FinallyClause(Block(ParseStatement(_hooks + "__Exit();")));
    }

    /// <summary>The instrumented root of <paramref name="model"/>'s tree.</summary>
    /// <param name="module">
    /// The tree is a module's: the hooks are the static <c>ScriptModuleHooks</c>, and every method,
    /// constructor, operator and accessor body is guarded like a local function (a module's methods
    /// can recurse; a script's only method is the template's).
    /// </param>
    /// <exception cref="InvalidOperationException">A function whose return type could not be determined.</exception>
    public static SyntaxNode Instrument(SemanticModel model, CancellationToken cancellationToken, bool module = false)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new ScriptInstrumenter(model, module, cancellationToken).Visit(model.SyntaxTree.GetRoot(cancellationToken));
    }

    private bool IsModule => _hooks.Length > 0;

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
        if (symbol is { IsIterator: true } && visited.Body is { } iterator)
        {
            // An iterator's body runs in steps (MoveNext), and may be abandoned between two of them:
            // a try/finally around it would keep its depth level until then. Each step instead starts
            // with a probe (the stack guard, without a level): at the first step and after every
            // yield return, where a resumption starts.
            return visited.WithBody(WithTick(iterator, Hook(ScriptTemplate.ProbeCall, node)));
        }

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

    public override SyntaxNode? VisitYieldStatement(YieldStatementSyntax node)
    {
        var visited = (YieldStatementSyntax)base.VisitYieldStatement(node)!;
        if (!node.IsKind(SyntaxKind.YieldReturnStatement))
        {
            return visited;
        }

        // { yield return x; __Probe(line); }: the probe is the first thing the next step runs.
        return Block(visited.WithoutTrivia(), Hook(ScriptTemplate.ProbeCall, node))
            .WithLeadingTrivia(visited.GetLeadingTrivia())
            .WithTrailingTrivia(visited.GetTrailingTrivia());
    }

    public override SyntaxNode? VisitInvocationExpression(InvocationExpressionSyntax node)
    {
        var operation = _model.GetOperation(node, _cancellationToken) as IInvocationOperation;
        var visited = (InvocationExpressionSyntax)base.VisitInvocationExpression(node)!;
        return operation is { TargetMethod: var method } && IsTimedRegexMethod(method)
            ? visited.WithArgumentList(WithRegexTimeout(visited.ArgumentList, operation.Arguments))
            : visited;
    }

    public override SyntaxNode? VisitObjectCreationExpression(ObjectCreationExpressionSyntax node)
    {
        var operation = _model.GetOperation(node, _cancellationToken) as IObjectCreationOperation;
        var visited = (ObjectCreationExpressionSyntax)base.VisitObjectCreationExpression(node)!;
        return operation is { Constructor: { } constructor } && IsTimedRegexMethod(constructor) && visited.ArgumentList is { } arguments
            ? visited.WithArgumentList(WithRegexTimeout(arguments, operation.Arguments))
            : visited;
    }

    public override SyntaxNode? VisitImplicitObjectCreationExpression(ImplicitObjectCreationExpressionSyntax node)
    {
        var operation = _model.GetOperation(node, _cancellationToken) as IObjectCreationOperation;
        var visited = (ImplicitObjectCreationExpressionSyntax)base.VisitImplicitObjectCreationExpression(node)!;
        return operation is { Constructor: { } constructor } && IsTimedRegexMethod(constructor)
            ? visited.WithArgumentList(WithRegexTimeout(visited.ArgumentList, operation.Arguments))
            : visited;
    }

    /// <summary>
    /// A Regex constructor or static matching method: every one has an overload taking
    /// <c>options</c> and <c>matchTimeout</c>, which the rewrite calls with the budget's remaining time.
    /// </summary>
    internal static bool IsTimedRegexMethod(IMethodSymbol method) =>
        method.ContainingType is { Name: "Regex", ContainingNamespace: var ns }
        && ns.ToDisplayString() == "System.Text.RegularExpressions"
        && (method.MethodKind == MethodKind.Constructor
            ? method.Parameters.Length > 0
            : method.IsStatic && TimedRegexMethods.Contains(method.Name));

    // Regex.IsMatch(a, b) becomes Regex.IsMatch(input: a, pattern: b, options: RegexOptions.None,
    // matchTimeout: __RegexTimeout()); a given timeout becomes __RegexTimeout(timeout). Naming every
    // argument picks the overload with both whatever the user's argument style, and keeps the user's
    // order (and so the order of evaluation).
    private ArgumentListSyntax WithRegexTimeout(ArgumentListSyntax list, ImmutableArray<IArgumentOperation> bound)
    {
        // Bound in parameter order; the syntax is in the user's order.
        var written = bound
            .Where(static a => a.ArgumentKind == ArgumentKind.Explicit && a.Parameter is not null && a.Syntax is ArgumentSyntax)
            .OrderBy(static a => a.Syntax.SpanStart)
            .Select(static a => a.Parameter!.Name)
            .ToList();
        if (written.Count != list.Arguments.Count)
        {
            throw new InvalidOperationException("a Regex call whose arguments could not be matched to its parameters");
        }

        var byPosition = list.Arguments.Select((argument, i) => (Argument: argument, Name: written[i]));
        var arguments = new List<ArgumentSyntax>();
        var hasOptions = false;
        var hasTimeout = false;
        foreach (var (argument, name) in byPosition)
        {
            var named = argument.NameColon is null
                ? argument.WithoutLeadingTrivia().WithNameColon(NamedColon(name).WithLeadingTrivia(argument.GetLeadingTrivia()))
                : argument;
            if (name == "matchTimeout")
            {
                hasTimeout = true;
                named = named.WithExpression(InvocationExpression(
                    HookName("__RegexTimeout"),
                    ArgumentList(SingletonSeparatedList(Argument(named.Expression.WithoutTrivia()))))
                    .WithTriviaFrom(named.Expression));
            }

            hasOptions |= name == "options";
            arguments.Add(named);
        }

        if (!hasOptions)
        {
            arguments.Add(Argument(ParseExpression("global::System.Text.RegularExpressions.RegexOptions.None")).WithNameColon(NamedColon("options")));
        }

        if (!hasTimeout)
        {
            arguments.Add(Argument(ParseExpression(_hooks + "__RegexTimeout()")).WithNameColon(NamedColon("matchTimeout")));
        }

        // Keep the user's separators (and their trivia); the added ones are plain commas.
        var separators = list.Arguments.GetSeparators().ToList();
        while (separators.Count < arguments.Count - 1)
        {
            separators.Add(Token(SyntaxKind.CommaToken).WithTrailingTrivia(Space));
        }

        return list.WithArguments(SeparatedList(arguments, separators));
    }

    private static NameColonSyntax NamedColon(string name) =>
        NameColon(IdentifierName(name), Token(SyntaxKind.ColonToken).WithTrailingTrivia(Space));

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
    private ExpressionStatementSyntax Hook(string name, SyntaxNode at)
    {
        var line = at.GetLocation().GetMappedLineSpan().StartLinePosition.Line + 1;
        var argument = Argument(LiteralExpression(SyntaxKind.NumericLiteralExpression, Literal(line)));
        return ExpressionStatement(InvocationExpression(HookName(name), ArgumentList(SingletonSeparatedList(argument))));
    }

    private ExpressionSyntax HookName(string name) => IsModule ? ParseExpression(_hooks + name) : IdentifierName(name);

    // { __Enter(line); try { ...body... } finally { __Exit(); } }, with the body's outer trivia outside.
    private BlockSyntax Guard(BlockSyntax body, StatementSyntax enter) =>
        Block(enter, TryStatement(body.WithoutTrivia(), default, _exitFinally))
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
