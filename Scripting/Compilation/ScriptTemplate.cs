using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// Wraps a script's body into a generated class per phase. The user's text is framed by
/// <c>#line 1 "path"</c> and <c>#line hidden</c>: diagnostics and stack traces point at the user's own
/// lines, and what the template adds (for example the final <c>return Next;</c>, unreachable when the
/// script returns on every path, and a stack probe on entry) is hidden from the user. Which parts of
/// the file are the user's text is recorded by position (<see cref="GeneratedScript.UserText"/>):
/// the guard rails exempt the template's own names by where they are, never by line visibility.
/// </summary>
internal static class ScriptTemplate
{
    public const string ClassName = "__Script";
    public const string FactoryName = "__Create";

    private const string Api = "global::Slardar.Scriptable.Scripting.Api.";
    /// <summary>The hook checking stack headroom without counting depth (ScriptBase.__Probe).</summary>
    public const string ProbeCall = "__Probe";

    private const string MethodEnd = "\n#line hidden\n        return Next;\n    }\n}\n";

    /// <summary>Usings every script gets, in a file of its own (a global using repeated by the user is not an error).</summary>
    public const string Prelude = """
        global using System;
        global using System.Collections.Generic;
        global using System.Linq;
        global using System.Text;
        global using System.Text.RegularExpressions;
        global using System.Threading.Tasks;
        global using Slardar.Scriptable.Scripting.Api;
        """;

    public static GeneratedScript Generate(ScriptSource source, ScriptPhase phase, string path)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(path);
        var line = $"#line 1 \"{EscapePath(path)}\"\n";
        // A request phase awaits and is made through RequestScript; a per-try phase is synchronous.
        var model = ScriptPhases.Of(phase);
        var baseClass = model.BaseClass;
        var (factoryType, signature) = model.IsAsync
            ? ("RequestScript", "protected override async global::System.Threading.Tasks.ValueTask<" + Api + "ScriptResult> RunAsync()")
            : (model.BaseClass, "protected override " + Api + "ScriptResult Run()");

        var text = new StringBuilder(source.Text.Length * 2 + 512);
        var user = new List<TextSpan>(2);
        if (source.DirectivesLength > 0)
        {
            text.Append(line);
            user.Add(new TextSpan(text.Length, source.DirectivesLength));
            text.Append(source.Directives).Append('\n');
        }

        text.Append("#line hidden\n")
            .Append("public sealed class ").Append(ClassName).Append(" : ").Append(Api).Append(baseClass).Append('\n')
            .Append("{\n")
            .Append("    public static ").Append(Api).Append(factoryType).Append(' ').Append(FactoryName).Append("() => new ").Append(ClassName).Append("();\n")
            .Append("    ").Append(signature).Append('\n')
            .Append("    ");
        var open = text.Length;
        // The hidden probe checks the stack's headroom (and ticks) once on entry of the script itself.
        text.Append("{\n        ").Append(ProbeCall).Append("(0);\n").Append(line);
        var bodyStart = text.Length;
        user.Add(new TextSpan(bodyStart, source.Text.Length));
        text.Append(source.BodyInPlace());
        var close = text.Length + MethodEnd.IndexOf('}', StringComparison.Ordinal);
        text.Append(MethodEnd);
        return new GeneratedScript(text.ToString(), open, close) { UserText = user, BodyStart = bodyStart };
    }

    /// <summary>
    /// Reports a script whose braces escape the generated method (e.g. <c>} } class X { ... </c>): what
    /// it declares outside would escape the guard rails' and the budget's view of "the script".
    /// </summary>
    public static IEnumerable<Diagnostic> CheckStructure(SyntaxTree tree, GeneratedScript generated, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(generated);
        var root = tree.GetCompilationUnitRoot(cancellationToken);
        var method = root.Members is [ClassDeclarationSyntax { Members: [_, MethodDeclarationSyntax m] }] ? m : null;
        if (method?.Body is { } body
            && body.OpenBraceToken.SpanStart == generated.MethodOpenBrace
            && body.CloseBraceToken.SpanStart == generated.MethodCloseBrace
            && !body.CloseBraceToken.IsMissing)
        {
            return [];
        }

        // Point at the first thing that is not where the template put it, when there is one.
        var stray = root.DescendantTokens().FirstOrDefault(t => t.IsKind(SyntaxKind.CloseBraceToken)
            && t.SpanStart > generated.MethodOpenBrace && t.SpanStart < generated.MethodCloseBrace
            && t.Parent is TypeDeclarationSyntax or BlockSyntax { Parent: MethodDeclarationSyntax });
        return [Diagnostic.Create(ScriptDiagnosticDescriptors.OutsideBody, stray == default ? Location.None : stray.GetLocation())];
    }

    private static string EscapePath(string path) => path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
