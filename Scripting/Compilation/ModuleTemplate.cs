using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// A module's file as compiled: its text framed by <c>#line 1 "_modules/name.cs"</c> (diagnostics and
/// stack traces point at the module's own lines), with the preprocessor directives scripts may not
/// use blanked out (they are reported by the guard rails). A module is declarations only: what would
/// run outside a script's invocation, and so outside its budget, has no place in it.
/// </summary>
internal static class ModuleTemplate
{
    /// <summary>Namespaces a module may not declare into: they are the platform's and the gateway's.</summary>
    private static readonly string[] ReservedRoots = ["System", "Microsoft", "Slardar", "Windows"];

    // The compiler writes a record's Equals and GetHashCode; they recurse into its members without any
    // hook, so a cycle made through a mutable member would overflow the stack, which ends the process.
    private const string MutableRecord = "a record in a module is immutable (init, readonly): a cycle made through a mutable member makes its generated Equals recurse without end";

    public static (GeneratedScript Generated, ScriptSource Source) Generate(ScriptModule module)
    {
        ArgumentNullException.ThrowIfNull(module);

        // Parsed as a script only to find the refused directives; a module has no directives part.
        var source = ScriptSource.Parse(module.Source, ScriptCompiler.ParseOptions) with { DirectivesLength = 0 };
        var header = $"#line 1 \"{module.Path}\"\n";
        var body = source.BodyInPlace();
        var generated = new GeneratedScript(header + body, -1, -1)
        {
            UserText = [new TextSpan(header.Length, body.Length)],
            BodyStart = header.Length,
        };
        return (generated, source);
    }

    /// <summary>What a module may not contain: statements, finalizers, unsafe or extern members, assembly attributes, reserved namespaces.</summary>
    public static IEnumerable<Diagnostic> CheckStructure(SyntaxTree tree, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var root = tree.GetCompilationUnitRoot(cancellationToken);
        foreach (var extern_ in root.Externs)
        {
            yield return Refuse(extern_, "extern alias", "modules compile against the scripts' references only");
        }

        foreach (var list in root.AttributeLists)
        {
            yield return Refuse(list, "An assembly or module attribute", "the image is the script's; modules declare types only");
        }

        foreach (var node in root.DescendantNodes())
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (node)
            {
                case GlobalStatementSyntax:
                    yield return Refuse(node, "A statement outside a type", "a module is declarations; statements belong in its methods");
                    break;
                case DestructorDeclarationSyntax destructor:
                    yield return Refuse(destructor.Identifier, "A finalizer", "it runs on the finalizer thread, outside any script's budget");
                    break;
                case MemberDeclarationSyntax member when member.Modifiers.Any(SyntaxKind.UnsafeKeyword):
                    yield return Refuse(member.Modifiers.First(m => m.IsKind(SyntaxKind.UnsafeKeyword)), "unsafe", ScriptApiPolicy.Unsafe);
                    break;
                case MemberDeclarationSyntax member when member.Modifiers.Any(SyntaxKind.ExternKeyword):
                    yield return Refuse(member.Modifiers.First(m => m.IsKind(SyntaxKind.ExternKeyword)), "An extern member", ScriptApiPolicy.Interop);
                    break;
                case RecordDeclarationSyntax record when !record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword):
                    yield return Refuse(record.Identifier, "A record class", "the compiler gives it a System.Type (EqualityContract), which scripts may not use; declare a record struct or a class");
                    break;
                case PropertyDeclarationSyntax { Parent: RecordDeclarationSyntax, AccessorList: { } accessors }
                    when accessors.Accessors.FirstOrDefault(static a => a.IsKind(SyntaxKind.SetAccessorDeclaration)) is { } setter:
                    yield return Refuse(setter.Keyword, "A settable record property", MutableRecord);
                    break;
                case FieldDeclarationSyntax { Parent: RecordDeclarationSyntax } field
                    when !field.Modifiers.Any(SyntaxKind.ReadOnlyKeyword) && !field.Modifiers.Any(SyntaxKind.ConstKeyword):
                    yield return Refuse(field.Declaration, "A mutable record field", MutableRecord);
                    break;
                case BaseNamespaceDeclarationSyntax ns when IsReserved(ns.Name.ToString()):
                    yield return Refuse(ns.Name, $"The namespace '{ns.Name}'", "its root belongs to the platform or the gateway; use your own (e.g. Acme.Auth)");
                    break;
            }
        }
    }

    private static bool IsReserved(string name)
    {
        var root = name.Split('.')[0].Trim();
        return root.StartsWith("global::", StringComparison.Ordinal) || ReservedRoots.Contains(root, StringComparer.Ordinal);
    }

    private static Diagnostic Refuse(SyntaxNode node, string what, string why) =>
        Diagnostic.Create(ScriptDiagnosticDescriptors.ForbiddenConstruct, node.GetLocation(), what, why);

    private static Diagnostic Refuse(SyntaxToken token, string what, string why) =>
        Diagnostic.Create(ScriptDiagnosticDescriptors.ForbiddenConstruct, token.GetLocation(), what, why);
}
