using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Editor;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Editor;

/// <summary>
/// Scripts/_editor/ as an editor sees it: the example host and a script of every phase bind with no
/// error and the API names resolve, the same text compiles in the gateway, and modules come along.
/// </summary>
public sealed class EditorFilesTests
{
    /// <summary>A script of each phase naming its API, with the editor's line first.</summary>
    public static TheoryData<string, string, string[]> PhaseScripts => new()
    {
        {
            "rewrite",
            """
            if (Request.Path == "/x") return Exit(403, "no");
            Vars["seen"] = 1;
            Log.Info(Config["greeting"]?.ToString() ?? "none");
            var cached = await Cache.GetAsync<string>("names", Request.Path, () => Task.FromResult<string?>("v"));
            Upstream = "demo";
            return Next;
            """,
            ["Request", "Exit", "Vars", "Log", "Config", "Cache", "Upstream", "Next"]
        },
        {
            "content",
            """
            var response = await Http.SendAsync("demo", new UpstreamRequest("GET", Request.Path));
            return Respond(response);
            """,
            ["Http", "Request", "Respond"]
        },
        {
            "auth",
            """
            if (Request.Headers["X-Token"] != "ok") return Exit(401);
            var allowed = await Limit.TryAcquireAsync("per-ip", Request.ClientIp);
            return allowed.Allowed ? Next : Exit(429);
            """,
            ["Request", "Exit", "Limit", "Next"]
        },
        {
            "preread",
            """
            if (Sni is null && FirstBytes.Length == 0) return Refuse();
            SetCurrentPeer("127.0.0.1", ListenerPort);
            return Next;
            """,
            ["Sni", "FirstBytes", "Refuse", "SetCurrentPeer", "ListenerPort", "Next"]
        },
        {
            "balancer",
            """
            if (LastFailure is { Kind: FailureKind.Failed } f) Checkups.Feedback(Upstream, f.Peer, failed: true);
            SetCurrentPeer(Checkups.SelectPeer(Upstream));
            SetMoreTries(1);
            """,
            ["LastFailure", "Checkups", "Upstream", "SetCurrentPeer", "SetMoreTries"]
        },
    };

    [Theory]
    [MemberData(nameof(PhaseScripts))]
    public void Write_AScriptOfEachPhase_BindsInTheEditorAndCompilesInTheGateway(string phaseName, string body, string[] names)
    {
        ScriptPhases.TryParse(phaseName, out var model).ShouldBeTrue();
        var phase = model.Phase;
        var folder = Directory.CreateTempSubdirectory("slardar-editor-").FullName;
        EditorFiles.Write(folder, []);
        var source = EditorFiles.LoadLine(phase) + "\n" + body + "\n";
        var path = Path.Combine(folder, "a.example", ScriptPhases.Of(phase).Name + ".csx");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, source);

        var (compilation, tree) = LanguageServerCompile.Of(path);

        LanguageServerCompile.Errors(compilation).ShouldBeEmpty();
        Resolved(compilation, tree, names);
        TestScripts.Compile(source, phase).Errors.ShouldBeEmpty();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Write_TheExampleHost_BindsInTheEditorWithItsModule()
    {
        var folder = CopyOfTheExampleScripts();

        EditorFiles.Write(folder, EditorCommand.ReadModules(folder)).ShouldBeEmpty();
        var (compilation, tree) = LanguageServerCompile.Of(Path.Combine(folder, "hello.example", "rewrite.csx"));

        LanguageServerCompile.Errors(compilation).ShouldBeEmpty();
        Resolved(compilation, tree, ["Request", "Exit", "Next", "Greeting"]);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Write_ABrokenModule_IsReportedAndLeftOut_TheScriptsStillGetTheApi()
    {
        var folder = Directory.CreateTempSubdirectory("slardar-editor-").FullName;

        var errors = EditorFiles.Write(folder, [new ScriptModule("broken", "namespace Acme; public static class A { public static int F() => \"x\"; }")]);

        errors.ShouldHaveSingleItem().ShouldContain("CS0029");
        File.Exists(Path.Combine(folder, EditorFiles.Folder, EditorFiles.ModulesAssembly)).ShouldBeFalse();
        File.ReadAllText(Path.Combine(folder, EditorFiles.Folder, EditorFiles.GlobalsFile(ScriptPhase.Rewrite))).ShouldNotContain(EditorFiles.ModulesAssembly);
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Write_AModuleNestedTooDeep_IsReportedWithItsLine_AndTheCommandEnds()
    {
        var folder = Directory.CreateTempSubdirectory("slardar-editor-").FullName;
        var deep = "namespace Acme;\npublic static class A\n{\n    public static int F() => " + new string('(', 100_000) + "1" + new string(')', 100_000) + ";\n}\n";

        var errors = EditorFiles.Write(folder, [new ScriptModule("deep", deep)]);

        errors.ShouldHaveSingleItem().ShouldContain("_modules/deep.cs(4): nests more than");
        File.Exists(Path.Combine(folder, EditorFiles.Folder, EditorFiles.ModulesAssembly)).ShouldBeFalse();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Write_TheFolder_IsIgnoredByGit_AndNamesNoMachinePath()
    {
        var folder = Directory.CreateTempSubdirectory("slardar-editor-").FullName;

        EditorFiles.Write(folder, []);

        File.ReadAllText(Path.Combine(folder, EditorFiles.Folder, ".gitignore")).ShouldContain("*");
        foreach (var globals in Directory.GetFiles(Path.Combine(folder, EditorFiles.Folder), "*.csx"))
        {
            File.ReadAllText(globals).ShouldNotContain(folder);
        }

        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task Write_TheModulesProject_BuildsTheModules_AndPointsAtABrokenModulesLine()
    {
        var folder = CopyOfTheExampleScripts();
        EditorFiles.Write(folder, EditorCommand.ReadModules(folder));
        var project = Path.Combine(folder, EditorFiles.Folder, EditorModulesProject.FileName);

        var (built, output) = await DotnetBuildAsync(project);
        built.ShouldBeTrue(output);

        File.WriteAllText(Path.Combine(folder, ScriptModule.Folder, "broken.cs"), "namespace Acme;\npublic static class A\n{\n    public static int F() => Request.Path;\n}\n");
        (built, output) = await DotnetBuildAsync(project);
        built.ShouldBeFalse(output);
        output.ShouldContain("broken.cs(4,30): error CS0103");
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Write_TheGlobals_CarryTheApisDocComments_ForHover()
    {
        var folder = Directory.CreateTempSubdirectory("slardar-editor-").FullName;

        EditorFiles.Write(folder, []);

        var lines = File.ReadAllLines(Path.Combine(folder, EditorFiles.Folder, EditorFiles.GlobalsFile(ScriptPhase.Rewrite)));
        var request = Array.FindIndex(lines, static l => l.Contains(" Request =>", StringComparison.Ordinal));
        lines[request - 1].ShouldStartWith("/// <summary>");
        File.Exists(Path.Combine(folder, EditorFiles.Folder, "Slardar.Scriptable.Scripting.xml")).ShouldBeTrue();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public void Run_AMissingFolder_ExitsWith2()
    {
        var output = new StringWriter();

        EditorCommand.Run([Path.Combine(Path.GetTempPath(), "slardar-no-such-folder-" + Guid.NewGuid())], output).ShouldBe(2);
        output.ToString().ShouldContain("no folder");
    }

    private static void Resolved(Microsoft.CodeAnalysis.Compilation compilation, SyntaxTree tree, IEnumerable<string> names)
    {
        var model = compilation.GetSemanticModel(tree);
        var identifiers = tree.GetRoot().DescendantNodes().OfType<IdentifierNameSyntax>().ToList();
        foreach (var name in names)
        {
            var uses = identifiers.Where(i => i.Identifier.ValueText == name).ToList();
            uses.ShouldNotBeEmpty(name);
            uses.ShouldAllBe(i => model.GetSymbolInfo(i, default).Symbol != null, name);
        }
    }

    // What an editor does when it opens the project (restore, design-time build): a real `dotnet build`.
    private static async Task<(bool Built, string Output)> DotnetBuildAsync(string project)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", ["build", project, "-nologo", "-v", "q", "--disable-build-servers"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode == 0, await output + await error);
    }

    private static string CopyOfTheExampleScripts()
    {
        var repository = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(repository, "Slardar.Scriptable.sln")))
        {
            repository = Path.GetDirectoryName(repository) ?? throw new InvalidOperationException("repository not found above the test binary");
        }

        var folder = Directory.CreateTempSubdirectory("slardar-editor-").FullName;
        foreach (var sub in new[] { "hello.example", ScriptModule.Folder })
        {
            Directory.CreateDirectory(Path.Combine(folder, sub));
            foreach (var file in Directory.GetFiles(Path.Combine(repository, "Scripts", sub)))
            {
                File.Copy(file, Path.Combine(folder, sub, Path.GetFileName(file)));
            }
        }

        return folder;
    }
}
