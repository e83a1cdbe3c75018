using Shouldly;
using Slardar.Scriptable.Scripting.Compilation;

namespace Slardar.Scriptable.Tests.Scripting.Compilation;

public sealed class BracketDepthTests
{
    [Theory]
    [InlineData("f(a[{ b }]);", 3, null)]
    [InlineData("f(a[{ b }]);", 2, 1)]
    [InlineData("var x = 1;\nif (a) { if (b) { f(); } }", 2, 2)]
    public void FindDeeperThan_Code_CountsEveryKindOfBracket(string text, int limit, int? line) =>
        BracketDepth.FindDeeperThan(text, limit).ShouldBe(line);

    [Theory]
    [InlineData("var s = \"((((((\";")]
    [InlineData("var s = @\"((\"\"((((\";")]
    [InlineData("var s = \"\"\"\n(((\"\"((((\n\"\"\";")]
    [InlineData("// ((((((\nvar c = '(';")]
    [InlineData("/* ((((\n(( */ var c = '\\'';")]
    [InlineData("var c = '\\u0028'; var d = \"\\\"((((\";")]
    public void FindDeeperThan_BracketsInStringsAndComments_AreNotCounted(string text) =>
        BracketDepth.FindDeeperThan(text, 1).ShouldBeNull();

    [Fact]
    public void FindDeeperThan_LinesAfterAVerbatimString_AreCountedRight() =>
        BracketDepth.FindDeeperThan("var s = @\"a\nb\";\n((((", 2).ShouldBe(3);
}
