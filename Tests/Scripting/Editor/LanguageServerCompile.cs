using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Tests.Scripting.Editor;

/// <summary>
/// Binds a <c>.csx</c> file as a C# language server does (OmniSharp's script project): a script
/// compilation of the file, <c>#load</c> and <c>#r</c> resolved relative to the file that names them,
/// and the framework's reference assemblies; nothing of the gateway's template.
/// </summary>
internal static class LanguageServerCompile
{
    public static (CSharpCompilation Compilation, SyntaxTree Tree) Of(string path)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest, kind: SourceCodeKind.Script);
        var tree = CSharpSyntaxTree.ParseText(SourceText.From(File.ReadAllText(path)), parse, path);
        var framework = Directory.GetFiles(ScriptReferences.Shared.Location, "*.dll")
            .Select(static p => (MetadataReference)MetadataReference.CreateFromFile(p));
        var options = new CSharpCompilationOptions(
            OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            sourceReferenceResolver: new SourceFileResolver([], Path.GetDirectoryName(path)),
            metadataReferenceResolver: new RelativeFileResolver());
        var compilation = CSharpCompilation.CreateScriptCompilation("editor-check", tree, framework, options);
        return (compilation, tree);
    }

    /// <summary>Errors of the file and of what it loads.</summary>
    public static ImmutableArray<Diagnostic> Errors(CSharpCompilation compilation) =>
        [.. compilation.GetDiagnostics().Where(static d => d.Severity == DiagnosticSeverity.Error)];

    /// <summary><c>#r "x.dll"</c> relative to the file holding the line, as Roslyn's script resolver reads it.</summary>
    private sealed class RelativeFileResolver : MetadataReferenceResolver
    {
        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties)
        {
            var path = Path.IsPathRooted(reference) || baseFilePath is null
                ? reference
                : Path.Combine(Path.GetDirectoryName(baseFilePath)!, reference);
            return File.Exists(path) ? [MetadataReference.CreateFromFile(path, properties)] : [];
        }

        public override bool Equals(object? other) => other is RelativeFileResolver;

        public override int GetHashCode() => 1;
    }
}
