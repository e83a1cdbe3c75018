using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.RuntimeMeasure;

/// <summary>A request with nothing in it: the measures run scripts that do not read it.</summary>
internal sealed class NullRequest : IScriptRequest
{
    public string Method { get; set; } = "GET";

    public string Scheme => "http";

    public string Host => "measure.test";

    public string Path { get; set; } = "/";

    public string QueryString { get; set; } = string.Empty;

    public string ClientIp => "127.0.0.1";

    public IScriptHeaders Headers => throw new NotSupportedException();

    public IScriptQuery Query => throw new NotSupportedException();

    public HttpBody Body => throw new NotSupportedException();
}
