using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Loading;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Compilation;

/// <summary>Modules: C# shared by scripts, compiled into the image of each script that uses them, under the same rails and budget.</summary>
public sealed class ModuleCompileTests
{
    internal static readonly ScriptModule Auth = new("acme.auth", """
        namespace Acme.Auth;

        public static class Tokens
        {
            public static bool IsValid(string? token) => token is { Length: > 3 } && token.StartsWith("ok-", StringComparison.Ordinal);
        }
        """);

    private static readonly ScriptModule Unrelated = new("other", """
        namespace Other;
        public static class Helper { public static int Two() => 2; }
        """);

    private static readonly ScriptModule UsesAuth = new("acme.gate", """
        using Acme.Auth;
        namespace Acme.Gate;
        public static class Gate { public static int Status(string? token) => Tokens.IsValid(token) ? 200 : 401; }
        """);

    private const string UsesTokens = """
        using Acme.Auth;
        if (!Tokens.IsValid(Request.Headers["X-Token"])) return Exit(401);
        """;

    internal static ScriptCompileResult Compile(string source, params ScriptModule[] modules) =>
        TestScripts.Compiler.Compile(new ScriptCompileRequest(source, ScriptPhase.Rewrite) { Path = "a.example/rewrite.csx", Modules = [.. modules] });

    [Fact]
    public void Compile_ScriptUsingAModuleNamespace_NamesOnlyThatModule()
    {
        var result = Compile(UsesTokens, Unrelated, Auth);

        result.Errors.ShouldBeEmpty();
        result.Script!.Modules.ShouldBe(["acme.auth"]);
    }

    [Fact]
    public void Compile_ScriptUsingNoModule_NamesNone()
    {
        Compile("return Next;", Auth, Unrelated).Script!.Modules.ShouldBeEmpty();
    }

    [Fact]
    public void Compile_ModuleUsingAnotherModule_NamesBoth()
    {
        var result = Compile("return Exit(Acme.Gate.Gate.Status(Request.Headers[\"X-Token\"]));", Auth, UsesAuth, Unrelated);

        result.Errors.ShouldBeEmpty();
        result.Script!.Modules.ShouldBe(["acme.auth", "acme.gate"]);
    }

    [Fact]
    public void Compile_WithoutTheModule_FailsAtTheScriptLine()
    {
        var error = Compile(UsesTokens).Errors.First();

        (error.File, error.Line).ShouldBe((null, 1));
    }

    [Fact]
    public void Compile_ModuleWithAnError_ReportsTheModuleFileAndLine()
    {
        var broken = new ScriptModule("acme.auth", """
            namespace Acme.Auth;
            public static class Tokens
            {
                public static bool IsValid(string? token) => token.Lenght > 3;
            }
            """);

        var error = Compile(UsesTokens, broken).Errors.ShouldHaveSingleItem();

        (error.File, error.Line, error.Id).ShouldBe(("_modules/acme.auth.cs", 4, "CS1061"));
    }

    [Theory]
    [InlineData("public static class F { public static string Read() => System.IO.File.ReadAllText(\"/etc/passwd\"); }", 2, "SLS0001")]
    [InlineData("public class F { ~F() { } }", 2, "SLS0002")]
    [InlineData("public static class F { public static unsafe int G(int* p) => *p; }", 2, "SLS0002")]
    [InlineData("public static class F { public static System.Type T() => typeof(string); }", 2, "SLS0002")]
    [InlineData("public record struct R(int A) { public int B { get; set; } }", 2, "SLS0002")]
    [InlineData("public record R(int A);", 2, "SLS0002")]
    [InlineData("public static class F { public static void __Tick(int line) { } }", 2, "SLS0003")]
    public void Compile_ModuleBreakingAGuardRail_IsRefusedAtTheModuleLine(string declaration, int line, string id)
    {
        var module = new ScriptModule("acme.auth", "namespace Acme.Auth;\n" + declaration + "\npublic static class Tokens { public static bool IsValid(string? t) => true; }\n");

        var errors = Compile(UsesTokens, module).Errors.ToList();

        errors.ShouldNotBeEmpty();
        errors.ShouldContain(e => e.File == "_modules/acme.auth.cs" && e.Line == line && e.Id == id, string.Join("; ", errors));
    }

    [Fact]
    public void Compile_ModuleDeclaringASystemNamespace_IsRefused()
    {
        var module = new ScriptModule("evil", "namespace System.Evil;\npublic static class E { public static int One() => 1; }\n");

        Compile("return Exit(System.Evil.E.One());", module).Errors.ShouldContain(e => e.File == "_modules/evil.cs" && e.Id == "SLS0002");
    }

    [Fact]
    public void Compile_ModuleCheck_ChecksEveryModule()
    {
        var broken = new ScriptModule("other", "namespace Other;\npublic static class Helper { public static int Two() => \"2\"; }\n");

        var result = TestScripts.Compiler.Compile(new ScriptCompileRequest(string.Empty, ScriptPhase.Rewrite) { Modules = [Auth, broken], AllModules = true });

        result.Errors.ShouldHaveSingleItem().File.ShouldBe("_modules/other.cs");
    }

    [Fact]
    public void CacheKey_ChangesWithAModule()
    {
        var before = ScriptCacheKey.For(new ScriptCompileRequest(UsesTokens, ScriptPhase.Rewrite) { Modules = [Auth] });
        var after = ScriptCacheKey.For(new ScriptCompileRequest(UsesTokens, ScriptPhase.Rewrite) { Modules = [Auth with { Source = Auth.Source + " " }] });

        after.ShouldNotBe(before);
    }

    [Theory]
    [InlineData("acme.auth", true)]
    [InlineData("a", true)]
    [InlineData("util-2_x", true)]
    [InlineData("", false)]
    [InlineData("Acme", false)]
    [InlineData("../etc", false)]
    [InlineData("a/b", false)]
    [InlineData(".hidden", false)]
    [InlineData("a..b", false)]
    public void IsValidName_AcceptsLowerCaseDottedNames(string name, bool valid) => ScriptModule.IsValidName(name).ShouldBe(valid);
}
