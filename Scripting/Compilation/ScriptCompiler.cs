using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace Slardar.Scriptable.Scripting.Compilation;

/// <summary>
/// Compiles scripts to in-memory assemblies with <see cref="CSharpCompilation"/> (not CSharpScript,
/// whose loader cannot unload). Steps: split the using directives from the body, wrap the body into
/// the phase's generated class, check the guard rails on the semantic model, instrument loops and
/// functions for the budget, emit the image with the modules the script uses compiled in and a
/// portable PDB (binding the user's trees again for diagnostics at the user's lines only when the
/// emit found anything), and check the guard rails again on the image.
/// <para>
/// Thread-safe and stateless besides the shared references: compiles may run in parallel. Each is
/// single-threaded (<c>concurrentBuild: false</c>) so a compile never fans out over a busy server's
/// thread pool; call <see cref="CompileAsync"/> from request-serving code, and
/// <see cref="WarmUpAsync"/> at startup (the first compile in a process costs seconds).
/// </para>
/// </summary>
internal sealed class ScriptCompiler
{
    internal static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest, DocumentationMode.None);
    private static readonly CSharpCompilationOptions UntrustedOptions = CreateOptions(trusted: false);
    private static readonly CSharpCompilationOptions TrustedOptions = CreateOptions(trusted: true);
    private static readonly EmitOptions EmitOptions = new(debugInformationFormat: DebugInformationFormat.PortablePdb);
    private static readonly SyntaxTree PreludeTree = CSharpSyntaxTree.ParseText(ScriptTemplate.Prelude, ParseOptions, "prelude.cs", Encoding.UTF8);

    private static readonly string WarmUpRewrite = """
        using System.Globalization;
        if (Request.Method == "DELETE") return Exit(403);
        var total = 0;
        foreach (var part in Request.Path.Split('/')) { total += part.Length; }
        Func<int, int> twice = n => n * 2;
        await Task.Yield();
        Log.Info(twice(total).ToString(CultureInfo.InvariantCulture));
        """;

    private static readonly string WarmUpBalancer = """
        if (LastFailure is { Kind: FailureKind.Failed } f) Checkups.Feedback(Upstream, f.Peer, failed: true);
        SetCurrentPeer(Checkups.SelectPeer(Upstream));
        SetMoreTries(1);
        """;

    public ScriptCompiler()
        : this(ScriptReferences.Shared)
    {
    }

    public ScriptCompiler(ScriptReferences references)
    {
        ArgumentNullException.ThrowIfNull(references);
        References = references;
    }

    public ScriptReferences References { get; }

    /// <summary>Compiles on the thread pool; the caller's thread never does the work.</summary>
    public Task<ScriptCompileResult> CompileAsync(ScriptCompileRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Task.Run(() => Compile(request, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Compiles a script of each kind, off the caller's thread, so that the JIT and Roslyn's caches
    /// are warm before the first real script arrives.
    /// </summary>
    public Task WarmUpAsync(CancellationToken cancellationToken = default) => Task.Run(
        () =>
        {
            Compile(new ScriptCompileRequest(WarmUpRewrite, ScriptPhase.Rewrite) { Path = "warm-up/rewrite.csx" }, cancellationToken);
            Compile(new ScriptCompileRequest(WarmUpBalancer, ScriptPhase.Balancer) { Path = "warm-up/balancer.csx" }, cancellationToken);
        },
        cancellationToken);

    public ScriptCompileResult Compile(ScriptCompileRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var source = ScriptSource.Parse(request.Source, ParseOptions, cancellationToken);
        var generated = ScriptTemplate.Generate(source, request.Phase, request.Path);
        var tree = CSharpSyntaxTree.ParseText(SourceText.From(generated.Text, Encoding.UTF8), ParseOptions, request.Path, cancellationToken);
        var modules = request.Modules.Select(m => ModulePart.Parse(m, cancellationToken)).ToList();
        var compilation = CSharpCompilation.Create(
            AssemblyName(request),
            [PreludeTree, tree, .. modules.Select(static m => m.Tree)],
            References.References,
            request.Trusted ? TrustedOptions : UntrustedOptions);

        // Only the modules the script reaches go into its image (and are checked with it).
        if (!request.AllModules && modules.Count > 0)
        {
            var used = ModuleDependencies.Find(compilation, tree, modules.ToDictionary(static m => m.Tree, static m => m.Module), cancellationToken);
            var unused = modules.Where(m => !used.Contains(m.Module)).ToList();
            compilation = compilation.RemoveSyntaxTrees(unused.Select(static m => m.Tree));
            modules = [.. modules.Except(unused)];
        }

        var files = modules.ToDictionary(static m => m.Tree, static m => m.Module.Path);
        var model = compilation.GetSemanticModel(tree);
        var checks = new List<Diagnostic>(ScriptTemplate.CheckStructure(tree, generated, cancellationToken));
        checks.AddRange(ScriptSourceGuard.Check(model, generated, source, request.Trusted, cancellationToken));
        foreach (var module in modules)
        {
            // A module is held to the untrusted guard rails whatever the host: it serves other hosts too.
            checks.AddRange(ModuleTemplate.CheckStructure(module.Tree, cancellationToken));
            checks.AddRange(ScriptSourceGuard.Check(compilation.GetSemanticModel(module.Tree), module.Generated, module.Source, trusted: false, cancellationToken));
        }

        // The compiler's own findings on the user's text. Binding for them costs as much as the emit's
        // binding, so a clean compile takes them from the emit of the instrumented trees (the same
        // code plus budget calls), and only a compile the emit found anything in binds the user's
        // trees again, for findings at the user's lines and columns.
        ImmutableArray<ScriptDiagnostic> Diagnose()
        {
            var found = new List<Diagnostic>(model.GetDiagnostics(cancellationToken: cancellationToken));
            foreach (var module in modules)
            {
                found.AddRange(compilation.GetSemanticModel(module.Tree).GetDiagnostics(cancellationToken: cancellationToken));
            }

            return DiagnosticMapper.Map([.. found, .. checks], tree, files);
        }

        if (checks.Any(static d => d.Severity == DiagnosticSeverity.Error))
        {
            return ScriptCompileResult.Failed(Diagnose());
        }

        var instrumented = new List<(SyntaxTree Old, SyntaxTree New)>(modules.Count + 1);
        var instrumentedFiles = new Dictionary<SyntaxTree, string>(modules.Count);
        try
        {
            var root = (CSharpSyntaxNode)ScriptInstrumenter.Instrument(model, cancellationToken);
            instrumented.Add((tree, CSharpSyntaxTree.Create(root, ParseOptions, request.Path, Encoding.UTF8)));
            foreach (var module in modules)
            {
                var moduleRoot = (CSharpSyntaxNode)ScriptInstrumenter.Instrument(compilation.GetSemanticModel(module.Tree), cancellationToken, module: true);
                var moduleTree = CSharpSyntaxTree.Create(moduleRoot, ParseOptions, module.Module.Path, Encoding.UTF8);
                instrumented.Add((module.Tree, moduleTree));
                instrumentedFiles[moduleTree] = module.Module.Path;
            }
        }
        catch (InvalidOperationException exception)
        {
            // The instrumenter may trip over code that does not bind: that is the user's error.
            var findings = Diagnose();
            return findings.Any(static d => d.IsError)
                ? ScriptCompileResult.Failed(findings)
                : Fail(findings, [Diagnostic.Create(ScriptDiagnosticDescriptors.InstrumentationFailed, Location.None, exception.Message)], tree);
        }

        var emitting = compilation;
        foreach (var (old, replacement) in instrumented)
        {
            emitting = emitting.ReplaceSyntaxTree(old, replacement);
        }

        using var image = new MemoryStream();
        using var pdb = new MemoryStream();
        var emitted = emitting.Emit(image, pdb, options: EmitOptions, cancellationToken: cancellationToken);
        var diagnostics = emitted.Success && DiagnosticMapper.Map(emitted.Diagnostics, instrumented[0].New, instrumentedFiles).IsEmpty
            ? DiagnosticMapper.Map(checks, tree, files)
            : Diagnose();
        if (diagnostics.Any(static d => d.IsError))
        {
            return ScriptCompileResult.Failed(diagnostics);
        }

        if (!emitted.Success)
        {
            // Only the rewrite can break a script that bound cleanly: report it as such.
            var broken = emitted.Diagnostics
                .Where(static d => d.Severity == DiagnosticSeverity.Error)
                .Select(static d => Diagnostic.Create(ScriptDiagnosticDescriptors.InstrumentationFailed, Location.None, d.ToString()));
            return Fail(diagnostics, broken, tree);
        }

        var bytes = ImmutableCollectionsMarshal.AsImmutableArray(image.ToArray());
        if (!request.Trusted && ScriptImageGuard.Check(bytes, ScriptAssemblies.Allowed) is { Count: > 0 } violations)
        {
            return ScriptCompileResult.Failed([.. diagnostics, .. violations]);
        }

        var compiled = new CompiledScript(
            request.Phase,
            AssemblyName(request),
            request.Path,
            bytes,
            ImmutableCollectionsMarshal.AsImmutableArray(pdb.ToArray()),
            request.Limits,
            request.Trusted,
            diagnostics)
        {
            Modules = [.. modules.Select(static m => m.Module.Name)],
        };
        return ScriptCompileResult.Compiled(compiled);
    }

    /// <inheritdoc cref="ScriptCacheKey.For"/>
    public static string CacheKey(ScriptCompileRequest request) => ScriptCacheKey.For(request);

    private static ScriptCompileResult Fail(ImmutableArray<ScriptDiagnostic> warnings, IEnumerable<Diagnostic> errors, SyntaxTree tree) =>
        ScriptCompileResult.Failed([.. warnings, .. DiagnosticMapper.Map(errors, tree)]);

    private static string AssemblyName(ScriptCompileRequest request) => ScriptCacheKey.AssemblyName(request);

    /// <summary>A module as it goes into a compile: its generated file, parsed.</summary>
    private sealed record ModulePart(ScriptModule Module, GeneratedScript Generated, ScriptSource Source, SyntaxTree Tree)
    {
        public static ModulePart Parse(ScriptModule module, CancellationToken cancellationToken)
        {
            var (generated, source) = ModuleTemplate.Generate(module);
            var tree = CSharpSyntaxTree.ParseText(SourceText.From(generated.Text, Encoding.UTF8), ParseOptions, module.Path, cancellationToken);
            return new ModulePart(module, generated, source, tree);
        }
    }

    private static CSharpCompilationOptions CreateOptions(bool trusted) => new(
        OutputKind.DynamicallyLinkedLibrary,
        optimizationLevel: OptimizationLevel.Release,
        concurrentBuild: false,
        deterministic: true,
        allowUnsafe: trusted,
        nullableContextOptions: NullableContextOptions.Enable);
}
