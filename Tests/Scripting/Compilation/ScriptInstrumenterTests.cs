using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using System.Text.RegularExpressions;
using Shouldly;
using Slardar.Scriptable.Scripting;
using Slardar.Scriptable.Scripting.Compilation;
using Slardar.Scriptable.Scripting.Runtime;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Compilation;

public sealed class ScriptInstrumenterTests
{
    // Every shape the rewrite touches, written across lines the way people do.
    private const string Tricky = """
        static int Square(int n) =>
            n * n;
        int Twice(int n)
        {
            return n * 2;
        }
        Func<int, int> inc = static x =>
            x + 1;
        Action<string> log = message => Log.Info(message);
        Func<int, int> pick = x => x > 100 ? throw new ArgumentException("big") : x;
        var total = 0;
        for (var i = 0; i < 3; i++)
            total += Square(i);
        while (total < 10) total = Twice(total) + 1;
        do
        {
            total++;
        } while (total % 7 != 0);
        foreach (var (k, v) in new Dictionary<string, int> { ["a"] = 1 }) total += v;
        var n = 0;
        again:
        if (++n < 3) goto again;
        var later = async () => { await Task.Yield(); return 1; };
        log(inc(total).ToString());
        total += await later();
        pick(total * 1000);
        """;

    [Fact]
    public void Instrument_KeepsEveryLineWhereItWas()
    {
        var (model, _) = Bind(Tricky);

        var instrumented = ScriptInstrumenter.Instrument(model, default);

        // Same lines, and on each the same user tokens once the inserted hooks and the punctuation
        // the rewrite moves (braces, "=>", ";", "return", "static") are set aside.
        var before = model.SyntaxTree.GetText().Lines;
        var after = instrumented.SyntaxTree.GetText().Lines;
        after.Count.ShouldBe(before.Count);
        for (var i = 0; i < before.Count; i++)
        {
            Tokens(after[i].ToString()).ShouldBe(Tokens(before[i].ToString()), $"line {i}: {after[i]}");
        }
    }

    [Fact]
    public void Instrument_InsertsHooksCarryingTheUserLines()
    {
        var (model, _) = Bind(Tricky);

        var text = ScriptInstrumenter.Instrument(model, default).ToFullString();

        text.ShouldContain("__Enter(1)");    // static local function, static removed
        text.ShouldNotContain("static int Square");
        text.ShouldContain("__Enter(7)");    // static lambda
        text.ShouldContain("__Tick(12)");    // for
        text.ShouldContain("__Tick(14)");    // while
        text.ShouldContain("__Tick(15)");    // do
        text.ShouldContain("__Tick(19)");    // foreach deconstruction
        text.ShouldContain("__Tick(22)");    // goto
        text.ShouldContain("__Enter(23)");   // async lambda
    }

    [Fact]
    public async Task RunAsync_InstrumentedTrickyScript_BehavesAndFailsAtTheUserLine()
    {
        var outcome = await TestScripts.RunAsync(Tricky, limits: ScriptLimits.Default with { MaxDuration = TimeSpan.FromSeconds(30) });

        outcome.Status.ShouldBe(ScriptRunStatus.Faulted);
        (outcome.Failure!.Message, outcome.Failure.Line).ShouldBe(("big", 10));
    }

    [Fact]
    public void Instrument_Iterator_ProbesEachStepInsteadOfHoldingADepthLevel()
    {
        const string source = """
            IEnumerable<int> Numbers()
            {
                yield return 1;
                yield return 2;
            }
            Log.Info(Numbers().Sum().ToString());
            """;
        var (model, _) = Bind(source);

        var text = ScriptInstrumenter.Instrument(model, default).ToFullString();

        text.ShouldContain("{__Probe(1);");                 // first step
        text.ShouldContain("{yield return 1;__Probe(3);}"); // resumption after each yield return
        text.ShouldContain("{yield return 2;__Probe(4);}");
        text.ShouldNotContain("__Enter(1)");
    }

    [Fact]
    public void Instrument_RegexCalls_GetTheBudgetsTimeoutAsNamedArguments()
    {
        const string source = """
            var a = Regex.IsMatch("abc", "b");
            var b = Regex.Replace("abc", "b", "x", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1));
            var c = new Regex("x");
            """;
        var (model, _) = Bind(source);

        var text = ScriptInstrumenter.Instrument(model, default).ToFullString();

        text.ShouldContain("Regex.IsMatch(input: \"abc\", pattern: \"b\", options: global::System.Text.RegularExpressions.RegexOptions.None, matchTimeout: __RegexTimeout())");
        text.ShouldContain("matchTimeout: __RegexTimeout(TimeSpan.FromSeconds(1))");
        text.ShouldContain("new Regex(pattern: \"x\", options: global::System.Text.RegularExpressions.RegexOptions.None, matchTimeout: __RegexTimeout())");
    }

    [Fact]
    public void Generate_ScriptBody_StartsWithAHiddenProbe()
    {
        var generated = ScriptTemplate.Generate(ScriptSource.Parse("return Next;", new CSharpParseOptions(LanguageVersion.Latest)), ScriptPhase.Rewrite, "probe.csx");

        var probe = generated.Text.IndexOf("__Probe(0);", StringComparison.Ordinal);
        probe.ShouldBeGreaterThan(generated.MethodOpenBrace);
        probe.ShouldBeLessThan(generated.BodyStart);
        generated.IsUserText(new Microsoft.CodeAnalysis.Text.TextSpan(probe, 7)).ShouldBeFalse();
    }

    private static string Tokens(string line) =>
        Regex.Replace(Regex.Replace(line, @"__(Tick|Enter|Probe)\(\d+\);|finally\{__Exit\(\);\}|\btry\b", string.Empty), @"\s+|[{};]|=>|\breturn\b|\bstatic\b", string.Empty);

    private static (SemanticModel Model, GeneratedScript Generated) Bind(string source)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var generated = ScriptTemplate.Generate(ScriptSource.Parse(source, options), ScriptPhase.Rewrite, "tricky.csx");
        var tree = CSharpSyntaxTree.ParseText(generated.Text, options, "tricky.csx");
        var prelude = CSharpSyntaxTree.ParseText(ScriptTemplate.Prelude, options);
        var compilation = CSharpCompilation.Create(
            "tricky",
            [prelude, tree],
            TestScripts.Compiler.References.References,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var model = compilation.GetSemanticModel(tree);
        model.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ShouldBeEmpty();
        return (model, generated);
    }
}
