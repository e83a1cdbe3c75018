using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Compilation;

public sealed class ScriptCompilerTests
{
    [Fact]
    public void Compile_SeedExample_Succeeds()
    {
        var result = TestScripts.Compile("if (Request.Method == \"DELETE\") return Exit(403);");

        result.Success.ShouldBeTrue();
        result.Diagnostics.ShouldBeEmpty();
        result.Script.Phase.ShouldBe(ScriptPhase.Rewrite);
        result.Script.Image.Length.ShouldBeGreaterThan(0);
        result.Script.Pdb.Length.ShouldBeGreaterThan(0);
    }

    [Fact]
    public void Compile_DesignBalancerExample_Succeeds()
    {
        const string source = """
            if (LastFailure is { Kind: FailureKind.Failed } f) Checkups.Feedback(Upstream, f.Peer, failed: true);
            SetCurrentPeer(Checkups.SelectPeer(Upstream));
            SetMoreTries(1);
            """;

        var result = TestScripts.Compile(source, ScriptPhase.Balancer);

        result.Success.ShouldBeTrue();
        result.Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Compile_ErrorOnLine1_ReportsLineColumnAndId()
    {
        var error = TestScripts.SingleError("int x = \"a\";");

        error.ShouldBe(error with { Line = 1, Column = 9, Id = "CS0029", Severity = ScriptDiagnostic.Error });
        error.Message.ShouldContain("string");
    }

    [Fact]
    public void Compile_ErrorOnLine5_ReportsLine5()
    {
        const string source = """
            var a = 1;
            var b = 2;

            // a comment
              Log.Info(undefinedName);
            return Next;
            """;

        var error = TestScripts.SingleError(source);

        (error.Line, error.Column, error.Id).ShouldBe((5, 12, "CS0103"));
    }

    [Fact]
    public void Compile_ErrorAfterTwoUsings_ReportsUserLine()
    {
        const string source = """
            using System.Globalization;
            using System.Text;
            int x = "a";
            """;

        var error = TestScripts.SingleError(source);

        (error.Line, error.Column, error.Id).ShouldBe((3, 9, "CS0029"));
    }

    [Fact]
    public void Compile_ErrorInUsingDirective_ReportsItsLine()
    {
        const string source = """
            using System.Text;
            using No.Such.Namespace;
            return Next;
            """;

        var error = TestScripts.SingleError(source);

        (error.Line, error.Column, error.Id).ShouldBe((2, 7, "CS0246"));
    }

    [Fact]
    public void Compile_CodeAfterUsingOnSameLine_KeepsColumns()
    {
        var error = TestScripts.SingleError("using System.Text; int x = \"a\";");

        (error.Line, error.Column, error.Id).ShouldBe((1, 28, "CS0029"));
    }

    [Fact]
    public void Compile_Warning_DoesNotBlockAndIsReportedAtUserLine()
    {
        const string source = """
            var used = 1;
            int unused = 2;
            if (used == 1) return Exit(200);
            """;

        var result = TestScripts.Compile(source);

        result.Success.ShouldBeTrue();
        var warning = result.Diagnostics.ShouldHaveSingleItem();
        (warning.Line, warning.Column, warning.Id, warning.Severity).ShouldBe((2, 5, "CS0219", ScriptDiagnostic.Warning));
        result.Script.Warnings.ShouldBe(result.Diagnostics);
    }

    [Fact]
    public void Compile_ReturnOnEveryPath_ReportsNothingAboutTheGeneratedReturn()
    {
        var result = TestScripts.Compile("return Exit(204);");

        result.Success.ShouldBeTrue();
        result.Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Compile_RewriteWithoutAwait_ReportsNothingAboutTheAsyncFrame()
    {
        TestScripts.Compile("Upstream = \"b\";").Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Compile_UserRepeatsAPreludeUsing_IsFine()
    {
        TestScripts.Compile("using System;\nusing System.Linq;\nreturn Next;").Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Compile_AwaitInBalancer_IsAnError()
    {
        var error = TestScripts.SingleError("await Task.Yield();", ScriptPhase.Balancer);

        error.Id.ShouldBe("CS4032");
        error.Line.ShouldBe(1);
    }

    [Fact]
    public void Compile_SettingUpstreamInBalancer_IsAnError()
    {
        TestScripts.SingleError("Upstream = \"other\";", ScriptPhase.Balancer).Id.ShouldBe("CS0200");
    }

    [Fact]
    public void Compile_BracesLeavingTheMethod_AreRefused()
    {
        const string source = """
            return Next;
            }
            public static void Outside() { }
            private void Inside() {
            """;

        var result = TestScripts.Compile(source);

        result.Success.ShouldBeFalse();
        result.Errors.ShouldContain(d => d.Id == "SLS0005" && d.Line == 2);
    }

    [Fact]
    public void Compile_LocalFunctionsAndLambdas_Compile()
    {
        const string source = """
            static int Square(int n) => n * n;
            int Sum(IEnumerable<int> xs) { var s = 0; foreach (var x in xs) s += x; return s; }
            Func<int, int> inc = static x => x + 1;
            Action<string> log = message => Log.Info(message);
            log(Sum(Enumerable.Range(0, 3).Select(x => inc(Square(x)))).ToString());
            """;

        TestScripts.Compile(source).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Compile_SameSourceTwice_GivesTheSameAssemblyName()
    {
        var first = TestScripts.CompileOk("return Exit(201);");
        var second = TestScripts.CompileOk("return Exit(201);");
        var other = TestScripts.CompileOk("return Exit(202);");

        second.AssemblyName.ShouldBe(first.AssemblyName);
        other.AssemblyName.ShouldNotBe(first.AssemblyName);
    }

    [Fact]
    public async Task CompileAsync_TwoScriptsInParallel_BothCompile()
    {
        var rewrite = TestScripts.Compiler.CompileAsync(new ScriptCompileRequest("if (Request.Path == \"/a\") return Exit(404);", ScriptPhase.Rewrite));
        var balancer = TestScripts.Compiler.CompileAsync(new ScriptCompileRequest("SetCurrentPeer(\"10.0.0.1\", 8080);", ScriptPhase.Balancer));

        var results = await Task.WhenAll(rewrite, balancer);

        results.ShouldAllBe(r => r.Success);
        results[0].Script!.AssemblyName.ShouldNotBe(results[1].Script!.AssemblyName);
    }

    [Fact]
    public async Task WarmUpAsync_ThenCompile_Succeeds()
    {
        var compiler = new ScriptCompiler();

        await compiler.WarmUpAsync();
        var result = await compiler.CompileAsync(new ScriptCompileRequest("return Exit(418);", ScriptPhase.Auth));

        result.Success.ShouldBeTrue();
    }

    [Fact]
    public async Task CompileAsync_Canceled_Throws()
    {
        using var canceled = new CancellationTokenSource();
        await canceled.CancelAsync();

        await Should.ThrowAsync<OperationCanceledException>(
            () => TestScripts.Compiler.CompileAsync(new ScriptCompileRequest("return Next;", ScriptPhase.Rewrite), canceled.Token));
    }
}
