using Shouldly;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Compilation;

public sealed class ScriptImageGuardTests
{
    private static IReadOnlyList<string> Findings(string source, bool trusted = true)
    {
        var image = TestScripts.CompileOk(source, trusted: trusted).Image;
        return [.. ScriptImageGuard.Check(image, ScriptAssemblies.Allowed).Select(d => d.Message)];
    }

    [Fact]
    public void Check_TrustedImageReadingAFile_FindsTheCall()
    {
        // The source check is off for trusted scripts, so only the image check can see this.
        var findings = Findings("var text = System.IO.File.ReadAllText(\"/etc/hostname\");");

        findings.ShouldContain(f => f.Contains("'System.IO.File.ReadAllText'"));
    }

    [Fact]
    public void Check_TypeOf_FindsWhatTheCompilerCalls()
    {
        // No syntax names Type.GetTypeFromHandle: the compiler emits it for typeof.
        var findings = Findings("Vars[\"type\"] = typeof(string);");

        findings.ShouldContain(f => f.Contains("'System.Type.GetTypeFromHandle'"));
    }

    [Fact]
    public void Check_Lock_FindsTheMonitorTheCompilerUses()
    {
        var findings = Findings("var gate = new object(); lock (gate) { Vars[\"x\"] = 1; }");

        findings.ShouldContain(f => f.Contains("System.Threading.Monitor"));
    }

    [Fact]
    public void Check_ReferenceToAnotherAssembly_IsFound()
    {
        var findings = Findings("using var client = new System.Net.Http.HttpClient();");

        findings.ShouldContain(f => f.Contains("'assembly System.Net.Http'"));
    }

    [Fact]
    public void Check_PInvoke_IsFound()
    {
        var findings = Findings("[System.Runtime.InteropServices.DllImport(\"libc\")] static extern int getpid(); Vars[\"pid\"] = getpid();");

        findings.ShouldContain(f => f.Contains("extern method"));
        findings.ShouldContain(f => f.Contains("native module"));
    }

    [Fact]
    public void Check_ScriptUsingWhatTheCompilerGenerates_FindsNothing()
    {
        // async state machines (System.Type in their attribute), foreach, using, string interpolation,
        // ranges, collection expressions (inline arrays, CollectionsMarshal), lambdas, iterators.
        const string source = """
            await Task.Yield();
            var list = new List<int> { 1, 2, 3 };
            var total = 0;
            foreach (var item in list) total += item;
            int[] array = [1, 2, 3, 4];
            var slice = array[1..3];
            ReadOnlySpan<int> span = [total, list.Count, slice.Length];
            List<int> more = [.. list, total, span[0]];
            IEnumerable<int> Numbers() { yield return 1; yield return 2; }
            var text = $"{total} {more.Count} {Numbers().Sum()} {string.Join(',', slice)}";
            var pairs = new Dictionary<string, int> { ["a"] = 1 };
            foreach (var (key, value) in pairs) text += key + value;
            async IAsyncEnumerable<int> Later() { await Task.Yield(); yield return 3; }
            await foreach (var n in Later()) total += n;
            foreach (var c in "abc".AsSpan()) total += c;
            var kind = Request.Method switch { "GET" => 1, "HEAD" => 2, "POST" => 3, "PUT" => 4, "DELETE" => 5, "PATCH" => 6, "OPTIONS" => 7, _ => 0 };
            var anon = new { Text = text, Length = text.Length + kind };
            Vars["text"] = anon.Text;
            return anon.Length > 0 ? Next : Exit(500);
            """;

        Findings(source, trusted: false).ShouldBeEmpty();
    }
}
