using Shouldly;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Compilation;

public sealed class GuardRailTests
{
    // Each forbidden use sits on line 3, after two harmless lines, with what the message must name.
    public static TheoryData<string, string, string> Forbidden => new()
    {
        { "var text = System.IO.File.ReadAllText(\"/etc/passwd\");", "SLS0001", "System.IO.File.ReadAllText" },
        { "System.Diagnostics.Process.Start(\"sh\");", "SLS0001", "System.Diagnostics.Process.Start" },
        { "var s = new System.Net.Sockets.Socket(System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);", "SLS0001", "new System.Net.Sockets.Socket" },
        { "using var client = new System.Net.Http.HttpClient();", "SLS0001", "new System.Net.Http.HttpClient" },
        { "var m = typeof(string).GetMethod(\"Trim\", []);", "SLS0002", "typeof" },
        { "var t = Type.GetType(\"System.String\");", "SLS0001", "System.Type.GetType" },
        { "var a = System.Reflection.Assembly.Load(\"x\");", "SLS0001", "System.Reflection.Assembly.Load" },
        { "var asm = \"\".GetType().Assembly;", "SLS0001", "'System.Object.GetType'" },
        { "var p = System.Runtime.InteropServices.Marshal.AllocHGlobal(16);", "SLS0001", "System.Runtime.InteropServices.Marshal.AllocHGlobal" },
        { "unsafe { }", "SLS0002", "unsafe" },
        { "dynamic d = 1;", "SLS0002", "dynamic" },
        { "var thread = new System.Threading.Thread(() => { });", "SLS0001", "new System.Threading.Thread" },
        { "await Task.Run(() => 1);", "SLS0001", "System.Threading.Tasks.Task.Run" },
        { "System.Threading.ThreadPool.QueueUserWorkItem(_ => { });", "SLS0001", "System.Threading.ThreadPool.QueueUserWorkItem" },
        { "System.Threading.Tasks.Parallel.For(0, 2, i => { });", "SLS0001", "System.Threading.Tasks.Parallel.For" },
        { "var timer = new System.Threading.Timer(_ => { });", "SLS0001", "new System.Threading.Timer" },
        { "Task.Delay(5).Wait();", "SLS0001", "System.Threading.Tasks.Task.Wait" },
        { "lock (Vars) { }", "SLS0002", "lock" },
        { "Environment.Exit(1);", "SLS0001", "System.Environment.Exit" },
        { "var home = Environment.GetEnvironmentVariable(\"HOME\");", "SLS0001", "System.Environment.GetEnvironmentVariable" },
        { "GC.Collect();", "SLS0001", "System.GC.Collect" },
        { "var alc = System.Runtime.Loader.AssemblyLoadContext.Default;", "SLS0001", "System.Runtime.Loader.AssemblyLoadContext.Default" },
        { "Span<byte> buffer = stackalloc byte[16];", "SLS0002", "stackalloc" },
        { "Console.WriteLine(\"hi\");", "SLS0001", "System.Console.WriteLine" },
        { "var json = System.Text.Json.JsonSerializer.Serialize(new { a = 1 });", "SLS0001", "System.Text.Json.JsonSerializer.Serialize" },
        { "var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(16);", "SLS0001", "System.Buffers.ArrayPool<T>.Shared" },
        { "var u = System.Runtime.CompilerServices.Unsafe.SizeOf<int>();", "SLS0001", "System.Runtime.CompilerServices.Unsafe.SizeOf" },
        { "[System.Runtime.InteropServices.DllImport(\"libc\")] static extern int getpid();", "SLS0002", "extern" },
    };

    public static TheoryData<string> TrustedCompiles => new()
    {
        "var text = System.IO.File.Exists(\"/etc/passwd\");",
        "var m = typeof(string).GetMethod(\"Trim\", []);",
        "var t = Type.GetType(\"System.String\");",
        "var home = Environment.GetEnvironmentVariable(\"HOME\");",
        "if (Request.Path == \"/never\") Environment.Exit(1);",
        "GC.Collect(0);",
        "var thread = new System.Threading.Thread(() => { });",
        "var n = await Task.Run(() => 1);",
        "unsafe { int x = 1; int* p = &x; }",
        "dynamic d = 1;",
        "lock (Vars) { }",
        "Span<byte> buffer = stackalloc byte[16];",
        "var alc = System.Runtime.Loader.AssemblyLoadContext.Default;",
        "using var client = new System.Net.Http.HttpClient();",
    };

    [Theory]
    [MemberData(nameof(Forbidden))]
    public void Compile_ForbiddenUse_IsRefusedAtItsLine(string statement, string id, string named)
    {
        var source = $"var before = 1;\n// a comment line\n{statement}\nreturn Next;";

        var result = TestScripts.Compile(source);

        // Some uses draw more than one error (typeof(x).GetMethod: both typeof and GetMethod); all are on line 3.
        result.Success.ShouldBeFalse();
        result.Errors.ShouldAllBe(e => e.Line == 3 && e.Column > 0);
        result.Errors.ShouldContain(e => e.Id == id && e.Message.Contains(named), string.Join("\n", result.Errors));
    }

    [Theory]
    [MemberData(nameof(TrustedCompiles))]
    public void Compile_ForbiddenUseInTrustedScript_Compiles(string statement)
    {
        var result = TestScripts.Compile($"{statement}\nreturn Next;", trusted: true);

        result.Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Compile_ForbiddenUseThroughAlias_IsRefusedAtTheAlias()
    {
        const string source = """
            using F = System.IO.File;
            return Next;
            """;

        var error = TestScripts.Compile(source).Errors.ShouldHaveSingleItem();

        (error.Id, error.Line).ShouldBe(("SLS0001", 1));
    }

    [Fact]
    public void Compile_ForbiddenUseInsideLambda_IsRefused()
    {
        const string source = """
            Func<string, string> read = path =>
                System.IO.File.ReadAllText(path);
            return Next;
            """;

        var error = TestScripts.Compile(source).Errors.ShouldHaveSingleItem();

        (error.Id, error.Line).ShouldBe(("SLS0001", 2));
    }

    [Fact]
    public void Compile_NameOfForbiddenType_IsAllowed()
    {
        TestScripts.Compile("Log.Info(nameof(System.IO.File));").Success.ShouldBeTrue();
    }

    [Fact]
    public void Compile_AllowedApis_Compile()
    {
        const string source = """
            using System.Text.Json;
            using System.Threading;
            var watch = System.Diagnostics.Stopwatch.StartNew();
            using var doc = JsonDocument.Parse("{\"sub\":\"alice\"}");
            var sub = doc.RootElement.GetProperty("sub").GetString();
            var match = Regex.IsMatch(Request.Path, "^/api/");
            var list = new List<int> { 1, 2, 3 };
            List<int> more = [.. list, 4];
            var total = 0;
            Interlocked.Add(ref total, more.Sum());
            await Task.Delay(1);
            var sb = new StringBuilder().Append(sub).Append(total);
            Vars["user"] = sb.ToString();
            return match ? Next : Exit(404);
            """;

        TestScripts.Compile(source).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void Compile_ReservedName_IsRefusedEvenWhenTrusted()
    {
        var error = TestScripts.Compile("__Exit();", trusted: true).Errors.ShouldHaveSingleItem();

        (error.Id, error.Line, error.Column).ShouldBe(("SLS0003", 1, 1));
    }

    [Fact]
    public void Compile_GatewayInternals_AreRefused()
    {
        const string source = "var c = new Slardar.Scriptable.Scripting.Compilation.ScriptApiPolicy();";

        TestScripts.Compile(source).Success.ShouldBeFalse();
    }

    [Fact]
    public void Compile_LineHiddenAroundAHookDeclaration_IsRefusedAtTheUsersLines()
    {
        // Issue 11: accepted before, it replaced the tick hook and the loop spun forever.
        const string source = "#line hidden\nFunc<int, int> __Tick = Math.Abs;\n#line default\nwhile (true) { }\n";

        var errors = TestScripts.Compile(source, trusted: true).Errors;

        errors.ShouldContain(e => e.Id == "SLS0007" && e.Line == 1 && e.Message.Contains("'#line'"), string.Join("\n", errors));
        errors.ShouldContain(e => e.Id == "SLS0007" && e.Line == 3);
        errors.ShouldContain(e => e.Id == "SLS0003" && e.Line == 2 && e.Message.Contains("'__Tick'"));
    }

    [Fact]
    public void Compile_LineHiddenAroundAnEnterDeclaration_IsRefused()
    {
        const string source = "#line hidden\nvoid __Enter(int l) { }\n#line default\nint Down(int n) => Down(n + 1);\nDown(0);\n";

        var errors = TestScripts.Compile(source).Errors;

        errors.ShouldContain(e => e.Id == "SLS0003" && e.Line == 2 && e.Message.Contains("'__Enter'"), string.Join("\n", errors));
    }

    public static TheoryData<string, string> ReservedNameRoutes => new()
    {
        { "this.__Tick(1);", "__Tick" },
        { "base.__Tick(1);", "__Tick" },
        { "var name = nameof(__Tick);", "__Tick" },
        { "@__Tick(1);", "__Tick" },
        { "\\u005F\\u005FTick(1);", "__Tick" },
        { "_\\u005FExit();", "__Exit" },
        { "Action<int> enter = __Enter;", "__Enter" },
        { "var t = __RegexTimeout();", "__RegexTimeout" },
        { "__Probe(1);", "__Probe" },
        { "void __Exit() { }", "__Exit" },
        { "var __x = 1;", "__x" },
        { "var s = new __Script();", "__Script" },
    };

    [Theory]
    [MemberData(nameof(ReservedNameRoutes))]
    public void Compile_ReservedNameByAnyRoute_IsRefusedEvenWhenTrusted(string statement, string name)
    {
        var errors = TestScripts.Compile($"var before = 1;\n{statement}\nreturn Next;", trusted: true).Errors;

        errors.ShouldContain(e => e.Id == "SLS0003" && e.Line == 2 && e.Message.Contains($"'{name}'"), string.Join("\n", errors));
    }

    public static TheoryData<string, string> RefusedDirectives => new()
    {
        { "#line 100", "'#line'" },
        { "#line hidden", "'#line'" },
        { "#line default", "'#line'" },
        { "#line (1, 1) - (1, 5) \"other.cs\"", "'#line'" },
        { "#r \"System.IO.dll\"", "'#r'" },
        { "#load \"other.csx\"", "'#load'" },
        { "#load \"../_editor/other.csx\"", "'#load'" },
        { "#load \"../elsewhere/rewrite.globals.csx\"", "'#load'" },
        { "#r \"../_editor/Slardar.Scriptable.Scripting.dll\"", "'#r'" },
        { "#:package Foo@1.0", "'#:'" },
    };

    [Theory]
    [MemberData(nameof(RefusedDirectives))]
    public void Compile_RefusedDirective_IsRefusedAtItsLineAndLaterLinesStayTheUsers(string directive, string named)
    {
        var result = TestScripts.Compile($"var before = 1;\n{directive}\nvar text = System.IO.File.Exists(\"/x\");\nreturn Next;");

        result.Errors.ShouldContain(e => e.Id == "SLS0007" && e.Line == 2 && e.Message.Contains(named), string.Join("\n", result.Errors));
        result.Errors.ShouldContain(e => e.Id == "SLS0001" && e.Line == 3);
    }

    [Theory]
    [InlineData("#load \"../_editor/rewrite.globals.csx\"")]
    [InlineData("#load \"..\\_editor\\balancer.globals.csx\"")]
    public void Compile_TheEditorsLoadLine_IsIgnoredAndLaterLinesStayTheUsers(string directive)
    {
        var result = TestScripts.Compile($"{directive}\nusing System.Globalization;\nvar text = System.IO.File.Exists(\"/x\");\nreturn Next;");

        result.Errors.ShouldHaveSingleItem().ShouldSatisfyAllConditions(e => e.Id.ShouldBe("SLS0001"), e => e.Line.ShouldBe(3));
        TestScripts.Compile($"{directive}\nusing System.Globalization;\nreturn Exit(200, 1.5.ToString(CultureInfo.InvariantCulture));").Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Compile_HarmlessDirectives_Compile()
    {
        const string source = """
            #nullable disable
            #pragma warning disable CS0219
            #region setup
            var unused = 1;
            #endregion
            #if NEVER
            __Tick(1);
            #endif
            return Next;
            """;

        TestScripts.Compile(source).Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Compile_LineDirectiveAmongTheUsings_IsRefused()
    {
        var errors = TestScripts.Compile("using System.Globalization;\n#line hidden\nusing System.Numerics;\nreturn Next;").Errors;

        errors.ShouldContain(e => e.Id == "SLS0007" && e.Line == 2, string.Join("\n", errors));
    }

    // What the budget and the process depend on, refused whatever the trust: id and what the message names.
    public static TheoryData<string, string, string> RefusedForEveryScript => new()
    {
        // A delegate to a Regex matching method would run without the budget's timeout.
        { "Func<string, string, bool> match = Regex.IsMatch;", "SLS0008", "Regex.IsMatch" },
        { "var parts = new[] { \"a\" }.Select(Regex.Escape).ToList(); Func<string, string, Match> match = System.Text.RegularExpressions.Regex.Match;", "SLS0008", "Regex.Match" },
        { "Func<string, string, string, string> replace = Regex.Replace;", "SLS0008", "Regex.Replace" },
        // An async void function throwing after its first await ends the process.
        { "Action later = async () => { await Task.Yield(); throw new InvalidOperationException(); };", "SLS0002", "async void" },
        { "async void Later() { await Task.Yield(); }", "SLS0002", "async void" },
        { "Action<int> later = async n => await Task.Delay(n);", "SLS0002", "async void" },
    };

    [Theory]
    [MemberData(nameof(RefusedForEveryScript))]
    public void Compile_WhatTheBudgetDependsOn_IsRefusedEvenWhenTrusted(string statement, string id, string named)
    {
        var errors = TestScripts.Compile($"var before = 1;\n{statement}\nreturn Next;", trusted: true).Errors;

        errors.ShouldContain(e => e.Id == id && e.Line == 2 && e.Message.Contains(named), string.Join("\n", errors));
    }

    [Fact]
    public void Compile_RegexMethodNamedInNameOf_Compiles()
    {
        TestScripts.Compile("Log.Info(nameof(Regex.IsMatch));").Errors.ShouldBeEmpty();
    }

    [Fact]
    public void Compile_SettingTheDefaultCulture_IsRefusedAsProcessWide()
    {
        // Issue 11: this changed every other host's (-1.5).ToString() for the life of the process.
        const string source = """
            using System.Globalization;
            var culture = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            culture.NumberFormat.NegativeSign = "~";
            CultureInfo.DefaultThreadCurrentCulture = culture;
            return Next;
            """;

        var error = TestScripts.Compile(source).Errors.ShouldHaveSingleItem();

        (error.Id, error.Line).ShouldBe(("SLS0001", 4));
        error.Message.ShouldContain("System.Globalization.CultureInfo.DefaultThreadCurrentCulture");
        error.Message.ShouldContain(ScriptApiPolicy.ProcessWide);
    }

    [Fact]
    public void Compile_ChangingTheCurrentCultureInPlace_IsRefused()
    {
        const string source = """
            using System.Globalization;
            CultureInfo.CurrentCulture.NumberFormat.NegativeSign = "~";
            return Next;
            """;

        var error = TestScripts.Compile(source).Errors.ShouldHaveSingleItem();

        (error.Id, error.Line).ShouldBe(("SLS0001", 2));
        error.Message.ShouldContain("System.Globalization.CultureInfo.CurrentCulture");
    }

    [Fact]
    public void Compile_ContinuationRegisteredByHand_IsRefused()
    {
        // It would run on the thread pool after the script, where a throw ends the process.
        var error = TestScripts.SingleError("Task.Delay(1).GetAwaiter().OnCompleted(() => throw new InvalidOperationException());");

        (error.Id, error.Line).ShouldBe(("SLS0001", 1));
        error.Message.ShouldContain("OnCompleted");
    }
}
