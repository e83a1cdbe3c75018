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
}
