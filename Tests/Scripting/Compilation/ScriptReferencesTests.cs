using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Compilation;

public sealed class ScriptReferencesTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("slardar-refs-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Shared_InTheTestProcess_FindsReferenceAssemblies()
    {
        var references = ScriptReferences.Shared;

        // Tests run from a bin folder without refs/, on a machine with the SDK: the reference pack.
        references.Source.ShouldBeOneOf(ReferenceSource.RefsFolder, ReferenceSource.ReferencePack);
        var names = references.Paths.Select(Path.GetFileNameWithoutExtension).ToList();
        names.ShouldBeSubsetOf(ScriptReferences.Usable.Concat(ScriptReferences.NamedForDiagnostics));
        ScriptReferences.Usable.ShouldBeSubsetOf(names);
        references.References.Length.ShouldBe(references.Paths.Length + 1);
    }

    [Fact]
    public void Locate_AppWithRefsFolder_PrefersIt()
    {
        var refs = Directory.CreateDirectory(Path.Combine(_folder, "refs")).FullName;
        foreach (var path in ScriptReferences.Shared.Paths)
        {
            File.Copy(path, Path.Combine(refs, Path.GetFileName(path)));
        }

        var references = ScriptReferences.Locate(_folder, RuntimeDirectory);

        references.Source.ShouldBe(ReferenceSource.RefsFolder);
        references.Location.ShouldBe(refs);
        CompilesAndRuns(references);
    }

    [Fact]
    public void Locate_RefsFolderMissingAnAssembly_FallsBack()
    {
        Directory.CreateDirectory(Path.Combine(_folder, "refs"));

        ScriptReferences.Locate(_folder, RuntimeDirectory).Source.ShouldNotBe(ReferenceSource.RefsFolder);
    }

    [Fact]
    public void Locate_NoRefsAndNoPack_UsesTrustedPlatformAssemblies()
    {
        var references = ScriptReferences.Locate(_folder, Path.Combine(_folder, "shared", "Microsoft.NETCore.App", "10.0.0"));

        references.Source.ShouldBe(ReferenceSource.TrustedPlatformAssemblies);
        references.Paths.ShouldContain(p => Path.GetFileNameWithoutExtension(p) == "System.Private.CoreLib");
        CompilesAndRuns(references);
    }

    [Fact]
    public void FromTrustedPlatformAssemblies_GuardRailsStillApply()
    {
        var compiler = new ScriptCompiler(ScriptReferences.FromTrustedPlatformAssemblies(RuntimeDirectory));

        var result = compiler.Compile(new ScriptCompileRequest("var t = System.IO.File.ReadAllText(\"x\");", ScriptPhase.Rewrite));

        result.Errors.ShouldContain(e => e.Id == "SLS0001" && e.Line == 1);
    }

    private static string RuntimeDirectory => Path.GetDirectoryName(typeof(object).Assembly.Location)!;

    private static void CompilesAndRuns(ScriptReferences references)
    {
        var compiler = new ScriptCompiler(references);
        var result = compiler.Compile(new ScriptCompileRequest("if (Request.Method == \"DELETE\") return Exit(403);", ScriptPhase.Rewrite));
        result.Errors.ShouldBeEmpty();

        var generation = ScriptGeneration.Load(result.Script!);
        var outcome = generation.RunAsync(TestScripts.Context(new FakeScriptRequest { Method = "DELETE" })).AsTask().GetAwaiter().GetResult();
        generation.Retire();
        outcome.Result.Status.ShouldBe(403);
    }
}
