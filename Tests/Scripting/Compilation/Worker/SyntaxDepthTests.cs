using Microsoft.CodeAnalysis.CSharp;
using Shouldly;
using Slardar.Scriptable.Scripting.Compilation.Worker;

namespace Slardar.Scriptable.Tests.Scripting.Compilation.Worker;

public sealed class SyntaxDepthTests
{
    [Fact]
    public void FindDeeperThan_OrdinaryScript_FindsNothing()
    {
        var root = CSharpSyntaxTree.ParseText("""
            var parts = Request.Path.Split('/').Where(p => p.Length > 0).Select(p => p.ToUpperInvariant()).ToList();
            foreach (var part in parts) { if (part.Length > 3) { Log.Info(part); } }
            return Next;
            """).GetRoot();

        SyntaxDepth.FindDeeperThan(root, 64).ShouldBeNull();
    }

    [Fact]
    public void FindDeeperThan_WhilesWithoutBraces_FindsTheDepthTheBracketsDoNotShow()
    {
        var root = CSharpSyntaxTree.ParseText(string.Concat(Enumerable.Repeat("while (true) ", 300)) + ";").GetRoot();

        var deep = SyntaxDepth.FindDeeperThan(root, 256);

        deep.ShouldNotBeNull();
        deep.Value.Depth.ShouldBe(257);
    }

    [Fact]
    public void FindDeeperThan_LongBinaryChain_WalksWithoutRecursion()
    {
        var root = CSharpSyntaxTree.ParseText("var x = " + string.Concat(Enumerable.Repeat("1+", 50_000)) + "1;").GetRoot();

        SyntaxDepth.FindDeeperThan(root, 256).ShouldNotBeNull();
    }
}
