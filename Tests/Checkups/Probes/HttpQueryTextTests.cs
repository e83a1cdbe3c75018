using System.Text;
using Shouldly;
using Slardar.Scriptable.Host.Checkups.Probes;

namespace Slardar.Scriptable.Tests.Checkups.Probes;

public sealed class HttpQueryTextTests
{
    private static string Encode(string query) => Encoding.UTF8.GetString(HttpQueryText.Encode(query));

    [Fact]
    public void Encode_CrLfQuery_IsUnchanged() =>
        Encode("GET /status HTTP/1.0\r\nHost: localhost\r\n\r\n").ShouldBe("GET /status HTTP/1.0\r\nHost: localhost\r\n\r\n");

    [Fact]
    public void Encode_BareLineFeedsInHead_BecomeCrLf() =>
        Encode("GET / HTTP/1.1\nHost: a\r\nX: y\n\n").ShouldBe("GET / HTTP/1.1\r\nHost: a\r\nX: y\r\n\r\n");

    [Fact]
    public void Encode_Body_IsSentVerbatim() =>
        Encode("POST / HTTP/1.1\nContent-Length: 5\n\na\nb\n\n").ShouldBe("POST / HTTP/1.1\r\nContent-Length: 5\r\n\r\na\nb\n\n");

    [Fact]
    public void Encode_BlankLinesBeforeRequestLine_DoNotEndTheHead() =>
        Encode("\nGET / HTTP/1.1\nHost: a\n\n").ShouldBe("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");

    [Fact]
    public void Encode_NoTrailingNewline_KeepsTheText() =>
        Encode("GET / HTTP/1.0").ShouldBe("GET / HTTP/1.0");
}
