using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Tests.Scripting.Support;

internal sealed class FakeScriptRequest : IScriptRequest
{
    public FakeScriptRequest()
    {
        Query = new FakeScriptQuery(() => QueryString);
    }

    public string Method { get; set; } = "GET";

    public string Scheme { get; set; } = "http";

    public string Host { get; set; } = "admin.example.com";

    public string Path { get; set; } = "/";

    public string QueryString { get; set; } = string.Empty;

    public IScriptQuery Query { get; }

    public FakeScriptHeaders Headers { get; } = new();

    IScriptHeaders IScriptRequest.Headers => Headers;

    public string ClientIp { get; set; } = "127.0.0.1";

    public HttpBody Body { get; set; } = HttpBody.FromBytes([]);
}
