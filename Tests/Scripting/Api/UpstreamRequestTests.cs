using Shouldly;
using Slardar.Scriptable.Scripting.Api;
using Slardar.Scriptable.Tests.Scripting.Support;

namespace Slardar.Scriptable.Tests.Scripting.Api;

/// <summary>What a content script may put in a request to an upstream: data only, never a way to another host or a split message.</summary>
public sealed class UpstreamRequestTests
{
    [Theory]
    [InlineData("http://evil.test/")]
    [InlineData("//evil.test/x")]
    [InlineData("evil.test/x")]
    [InlineData("")]
    [InlineData("/a b")]
    [InlineData("/a\r\nHost: evil.test")]
    public void Create_PathThatIsNotAPlainPath_IsRefused(string path) =>
        Should.Throw<ArgumentException>(() => new UpstreamRequest("GET", path));

    [Theory]
    [InlineData("GET /")]
    [InlineData("G\nET")]
    [InlineData("")]
    public void Create_MethodThatIsNotAToken_IsRefused(string method) =>
        Should.Throw<ArgumentException>(() => new UpstreamRequest(method, "/"));

    [Fact]
    public void Create_PlainPathAndQuery_KeepsThemAndUpperCasesTheMethod()
    {
        var request = new UpstreamRequest("post", "/process?w=200&h=100");

        request.Method.ShouldBe("POST");
        request.PathAndQuery.ShouldBe("/process?w=200&h=100");
        request.Body.ShouldBeNull();
    }

    [Theory]
    [InlineData("X-A", "a\r\nX-Injected: 1")]
    [InlineData("X-A", "a\nb")]
    [InlineData("X A", "a")]
    [InlineData("X-A:", "a")]
    public void Headers_ValueOrNameThatCouldSplitTheMessage_IsRefused(string name, string value)
    {
        var headers = new UpstreamHeaders();

        Should.Throw<ArgumentException>(() => headers[name] = value);
        Should.Throw<ArgumentException>(() => headers.Add(name, value));
        headers.Count.ShouldBe(0);
    }

    [Fact]
    public void CopyEndToEnd_LeavesOutHopByHopHostAndFraming()
    {
        var client = new FakeScriptHeaders
        {
            ["Accept"] = "image/webp",
            ["Connection"] = "keep-alive",
            ["Keep-Alive"] = "timeout=5",
            ["Transfer-Encoding"] = "chunked",
            ["Content-Length"] = "10",
            ["Host"] = "img.test",
            ["Upgrade"] = "websocket",
            ["X-Trace"] = "t1",
        };

        var copied = new UpstreamHeaders().CopyEndToEnd(client);

        copied.Names.Order().ShouldBe(["Accept", "X-Trace"]);
        copied["accept"].ShouldBe("image/webp");
    }

    [Fact]
    public async Task Body_FromText_ReadsBackAndIsReplayable()
    {
        HttpBody body = "héllo";

        body.Length.ShouldBe(6);
        (await body.ReadAsStringAsync(100)).ShouldBe("héllo");
        await Should.ThrowAsync<InvalidOperationException>(() => body.ReadAsStringAsync(5));
        Should.Throw<ArgumentOutOfRangeException>(() => body.ReadAsBytesAsync(-1));
    }
}
