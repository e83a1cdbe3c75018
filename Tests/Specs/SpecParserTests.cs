using Shouldly;
using Slardar.Scriptable.Host.Specs;

namespace Slardar.Scriptable.Tests.Specs;

/// <summary>The spec format, read strictly: a hostile or malformed file is a clear error naming its line.</summary>
public sealed class SpecParserTests
{
    private const string Valid = """
        # comment
        === Test 1: first
        --- setup
        upstream extra.test
        module acme.auth <<END
        namespace Acme.Auth;
        public static class T { public static int One() => 1; }
        END
        script a.test/auth <<END
        return Next;
        END
        --- request
        GET /x?n={{1 + 1}} HTTP/1.1
        Host: a.test

        --- response
        HTTP/1.1 200 OK
        X-A: /b+/

        body

        === Test 2: admin
        --- request admin
        GET /status
        --- response_eval
        Response.Status == 200
        """;

    [Fact]
    public void Parse_ValidSpec_ReadsBlocksSectionsAndLines()
    {
        var spec = SpecParser.Parse(Valid);

        spec.Blocks.Count.ShouldBe(2);
        var first = spec.Blocks[0];
        (first.Number, first.Name, first.Line, first.EndLine).ShouldBe((1, "first", 2, 20));
        (spec.Blocks[1].Line, spec.Blocks[1].EndLine).ShouldBe((22, 26));
        first.Setup.Select(s => (s.Kind, s.Name, s.Line)).ShouldBe([("upstream", "extra.test", 4), ("module", "acme.auth", 5), ("script", "a.test/auth", 9)]);
        first.Setup[1].Value.ShouldContain("public static class T");
        first.Request.FirstLine.ShouldBe(13);
        first.Response!.Lines[0].ShouldBe("HTTP/1.1 200 OK");
        spec.Blocks[1].Request.Argument.ShouldBe("admin");
        spec.Blocks[1].Eval!.Lines.ShouldBe(["Response.Status == 200"]);
    }

    [Theory]
    [InlineData("", 0, "no \"=== Test")]
    [InlineData("hello\n=== Test 1: a\n--- request\nGET /\n--- response\n200", 1, "text before the first")]
    [InlineData("=== Test one: a\n--- request\nGET /", 1, "block header")]
    [InlineData("=== Test 1: a\n--- requests\nGET /", 2, "unknown section")]
    [InlineData("=== Test 1: a\n--- response\n200", 1, "no \"--- request\"")]
    [InlineData("=== Test 1: a\n--- request\nGET /", 1, "checks nothing")]
    [InlineData("=== Test 1: a\n--- request\nGET /\n--- request\nGET /\n--- response\n200", 4, "appears twice")]
    [InlineData("=== Test 1: a\n--- response admin\n200\n--- request\nGET /", 2, "takes no argument")]
    [InlineData("=== Test 1: a\nstray\n--- request\nGET /\n--- response\n200", 2, "between a block header")]
    [InlineData("=== Test 1: a\n--- setup\nmodule m <<END\nclass A {}\n--- request\nGET /\n--- response\n200", 3, "not closed")]
    [InlineData("=== Test 1: a\n--- setup\nconfig k 1\n--- request\nGET /\n--- response\n200", 3, "a setup line is")]
    [InlineData("=== Test 1: a\n--- setup\nmodule Bad <<END\nEND\n--- request\nGET /\n--- response\n200", 3, "not a module name")]
    [InlineData("=== Test 1: a\n--- request\nGET /{{1 + 1\n--- response\n200", 3, "without its")]
    [InlineData("=== Test 1: a\n--- request\nGET /{{ }}\n--- response\n200", 3, "empty")]
    public void Parse_MalformedSpec_NamesTheLine(string text, int line, string message)
    {
        var error = Should.Throw<SpecFormatException>(() => SpecParser.Parse(text));

        error.Line.ShouldBe(line);
        error.Message.ShouldContain(message);
    }

    [Fact]
    public void Parse_HugeSpec_IsRefusedBeforeReading()
    {
        var error = Should.Throw<SpecFormatException>(() => SpecParser.Parse(new string('#', SpecParser.MaxBytes + 1)));

        error.Message.ShouldContain("over the limit");
    }

    [Fact]
    public void Parse_TooManyBlocks_IsRefused()
    {
        var text = string.Concat(Enumerable.Range(1, SpecParser.MaxBlocks + 1).Select(i => $"=== Test {i}: b\n--- request\nGET /\n--- response\n200\n"));

        Should.Throw<SpecFormatException>(() => SpecParser.Parse(text)).Message.ShouldContain($"more than {SpecParser.MaxBlocks} blocks");
    }

    [Fact]
    public void Parse_HugeLine_IsRefused()
    {
        var text = "=== Test 1: a\n--- request\nGET /" + new string('a', SpecParser.MaxLineLength) + "\n--- response\n200";

        Should.Throw<SpecFormatException>(() => SpecParser.Parse(text)).Line.ShouldBe(3);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("get /")]
    [InlineData("GET x")]
    [InlineData("GET / FTP/1")]
    public void Request_NotARequestLine_IsAFormatError(string line) =>
        Should.Throw<SpecFormatException>(() => SpecRequest.Parse([line], 10)).Line.ShouldBe(10);

    [Fact]
    public void Request_HeadersAndBody_AreRead()
    {
        var request = SpecRequest.Parse(["POST /p HTTP/1.1", "Host: a.test", "X-N: 1", "", "{\"a\":1}", "end"], 1);

        (request.Method, request.Target, request.Host, request.Body).ShouldBe(("POST", "/p", "a.test", "{\"a\":1}\nend"));
    }

    [Fact]
    public void Expectation_BadStatusOrPattern_IsAFormatError()
    {
        Should.Throw<SpecFormatException>(() => SpecExpectation.Parse(["OK"], 5)).Line.ShouldBe(5);
        Should.Throw<SpecFormatException>(() => SpecExpectation.Parse(["200", "X: /(/"], 5)).Line.ShouldBe(6);
    }
}
