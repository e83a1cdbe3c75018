using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Compilation.Worker;

namespace Slardar.Scriptable.Scripting.Editor;

/// <summary>
/// Writes <c>Scripts/_editor/</c>, what a C# editor (OmniSharp, Rider) needs to bind a <c>.csx</c>
/// script as the gateway does: one <c>&lt;phase&gt;.globals.csx</c> per phase (<see cref="EditorGlobals"/>),
/// a copy of the script API assembly and the modules compiled into <c>Modules.dll</c>, all referenced
/// by relative <c>#r</c> lines (no machine paths), <c>Modules.csproj</c> for the module files
/// (<see cref="EditorModulesProject"/>), and a <c>.gitignore</c> that keeps the folder out of git.
/// A script opts in with <see cref="LoadLine"/> as its first line; the gateway's compiler blanks
/// that line (<see cref="IsEditorLoad"/>) and refuses any other <c>#load</c>.
/// </summary>
internal static class EditorFiles
{
    /// <summary>The folder under Scripts/; its files never name a script (no file is <c>&lt;phase&gt;.csx</c>).</summary>
    public const string Folder = "_editor";

    public const string ModulesAssembly = "Modules.dll";

    private const string Suffix = ".globals.csx";

    // The gateway's default compile limits (Compiler:TimeoutSeconds, Compiler:MaxNestingDepth).
    private static readonly TimeSpan CompileTimeout = TimeSpan.FromSeconds(10);
    private const int MaxNestingDepth = 256;

    public static string GlobalsFile(ScriptPhase phase) => ScriptPhases.Of(phase).Name + Suffix;

    /// <summary>The line a script of <paramref name="phase"/> starts with to get the editor's view of its API.</summary>
    public static string LoadLine(ScriptPhase phase) => $"#load \"../{Folder}/{GlobalsFile(phase)}\"";

    /// <summary>Whether a <c>#load</c> names a globals file of this folder (the only <c>#load</c> a script may have).</summary>
    public static bool IsEditorLoad(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var normalized = path.Replace('\\', '/');
        var slash = normalized.LastIndexOf('/');
        var file = normalized[(slash + 1)..];
        var folder = slash < 0 ? string.Empty : normalized[..slash];
        return (folder == Folder || folder.EndsWith("/" + Folder, StringComparison.Ordinal))
            && file.EndsWith(Suffix, StringComparison.Ordinal)
            && ScriptPhases.TryParse(file[..^Suffix.Length], out _);
    }

    /// <summary>
    /// (Re)writes the folder under <paramref name="scriptsFolder"/>. Modules that do not compile
    /// together are left out of <c>Modules.dll</c> (the editor then shows their users' errors, as the
    /// gateway would refuse them); returns the modules' errors, empty when they compiled.
    /// </summary>
    public static IReadOnlyList<string> Write(string scriptsFolder, IEnumerable<ScriptModule> modules)
    {
        ArgumentNullException.ThrowIfNull(scriptsFolder);
        ArgumentNullException.ThrowIfNull(modules);
        var folder = Path.Combine(scriptsFolder, Folder);
        Directory.CreateDirectory(folder);
        WriteIfChanged(Path.Combine(folder, ".gitignore"), "# Generated for editors by ./run.sh --editor; machine-local, never committed.\n*\n");

        var api = typeof(ScriptBase).Assembly.Location;
        var apiCopy = Path.Combine(folder, Path.GetFileName(api));
        CopyIfChanged(api, apiCopy);
        if (File.Exists(Path.ChangeExtension(api, ".xml")))
        {
            CopyIfChanged(Path.ChangeExtension(api, ".xml"), Path.ChangeExtension(apiCopy, ".xml"));
        }

        var references = new List<string> { Path.GetFileName(api) };

        var modulesPath = Path.Combine(folder, ModulesAssembly);
        var errors = CompileModules([.. modules], modulesPath);
        if (File.Exists(modulesPath))
        {
            references.Add(ModulesAssembly);
        }

        WriteIfChanged(Path.Combine(folder, EditorModulesProject.FileName), EditorModulesProject.Generate(Path.GetFileName(api)));
        foreach (var phase in ScriptPhases.All)
        {
            WriteIfChanged(Path.Combine(folder, GlobalsFile(phase.Phase)), EditorGlobals.Generate(phase.Phase, references));
        }

        return errors;
    }

    // The modules as one reference assembly (metadata only: the editor needs their names, not their
    // code). Held to the gateway's default compile limits: a module that nests deeper than the worker
    // allows, or takes longer, is reported rather than left to hang or overflow this command.
    private static IReadOnlyList<string> CompileModules(IReadOnlyList<ScriptModule> modules, string path)
    {
        byte[]? image = null;
        var errors = modules.Count == 0 ? [] : CompileModules(modules, out image);
        if (image is null)
        {
            File.Delete(path);
            return errors;
        }

        WriteIfChanged(path, image);
        return [];
    }

    private static IReadOnlyList<string> CompileModules(IReadOnlyList<ScriptModule> modules, out byte[]? image)
    {
        image = null;
        using var deadline = new CancellationTokenSource(CompileTimeout);
        try
        {
            var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(ScriptTemplate.Prelude, ScriptCompiler.ParseOptions, "prelude.cs", Encoding.UTF8) };
            foreach (var module in modules)
            {
                // Lexically first, as the gateway does before its worker: the parser recurses on nesting.
                if (BracketDepth.FindDeeperThan(module.Source, MaxNestingDepth) is { } line)
                {
                    return [$"{module.Path}({line}): nests more than {MaxNestingDepth} levels deep"];
                }

                var tree = CSharpSyntaxTree.ParseText(module.Source, ScriptCompiler.ParseOptions, module.Path, Encoding.UTF8, deadline.Token);
                if (SyntaxDepth.FindDeeperThan(tree.GetRoot(deadline.Token), MaxNestingDepth, deadline.Token) is { } deep)
                {
                    return [$"{module.Path}({deep.Node.GetLocation().GetLineSpan().StartLinePosition.Line + 1}): nests more than {MaxNestingDepth} levels deep"];
                }

                trees.Add(tree);
            }

            var compilation = CSharpCompilation.Create(
                Path.GetFileNameWithoutExtension(ModulesAssembly),
                trees,
                ScriptReferences.Shared.References,
                new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

            // A metadata-only emit skips method bodies: their errors are found by binding them first.
            var errors = compilation.GetDiagnostics(deadline.Token).Where(static d => d.Severity == DiagnosticSeverity.Error).ToList();
            using var stream = new MemoryStream();
            if (errors.Count == 0)
            {
                var emitted = compilation.Emit(stream, options: new EmitOptions(metadataOnly: true), cancellationToken: deadline.Token);
                errors.AddRange(emitted.Diagnostics.Where(static d => d.Severity == DiagnosticSeverity.Error));
            }

            image = errors.Count == 0 ? stream.ToArray() : null;
            return [.. errors.Select(static d => d.ToString())];
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            return [$"the modules did not compile within {CompileTimeout.TotalSeconds:0} s"];
        }
    }

    // An unchanged file keeps its time stamp: the editor does not reload what did not change.
    private static void WriteIfChanged(string path, string text) => WriteIfChanged(path, Encoding.UTF8.GetBytes(text));

    private static void WriteIfChanged(string path, byte[] bytes)
    {
        if (!File.Exists(path) || !File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes))
        {
            File.WriteAllBytes(path, bytes);
        }
    }

    private static void CopyIfChanged(string from, string to) => WriteIfChanged(to, File.ReadAllBytes(from));
}
