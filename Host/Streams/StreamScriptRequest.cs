using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Streams;

/// <summary>
/// <c>Request</c> in a preread script: a TCP session has a client and, with TLS, a server name
/// (<c>Host</c> is the SNI, or empty); it has no method, path, query, headers or body to read or change.
/// </summary>
internal sealed class StreamScriptRequest : IScriptRequest
{
    public StreamScriptRequest(string clientIp, string? sni)
    {
        ClientIp = clientIp;
        Host = sni ?? string.Empty;
    }

    public string Method
    {
        get => "TCP";
        set => throw new InvalidOperationException("A TCP session has no method.");
    }

    public string Scheme => "tcp";

    public string Host { get; }

    public string Path
    {
        get => string.Empty;
        set => throw new InvalidOperationException("A TCP session has no path.");
    }

    public string QueryString
    {
        get => string.Empty;
        set => throw new InvalidOperationException("A TCP session has no query.");
    }

    public IScriptQuery Query => StreamScriptFields.Instance;

    public IScriptHeaders Headers => StreamScriptFields.Instance;

    public string ClientIp { get; }

    /// <summary>Empty: a TCP session's bytes are the preread's <c>FirstBytes</c>, not an HTTP body.</summary>
    public HttpBody Body => field ??= HttpBody.FromBytes([]);
}
