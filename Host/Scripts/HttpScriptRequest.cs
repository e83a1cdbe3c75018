using Slardar.Scriptable.Host.Bodies;
using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Host.Scripts;

/// <summary>
/// What a rewrite or auth script sees of the request: a thin view over <see cref="HttpContext"/>.
/// Writes go straight to the request, which the forwarder then sends on, so a script that changes
/// the method, path, query or a header changes what the peer receives.
/// </summary>
internal sealed class HttpScriptRequest : IScriptRequest
{
    private readonly HttpContext _context;
    private readonly string? _clientIp;
    private HttpScriptHeaders? _headers;
    private HttpScriptQuery? _query;
    private readonly BodyRecorder _bodies;
    private RecordedHttpBody? _body;
    private ScriptIoWaits? _waits;

    /// <param name="clientIp">The client's address as the request already formatted it.</param>
    /// <param name="bodies">Records the client's body when a script reads it.</param>
    public HttpScriptRequest(HttpContext context, string? clientIp, BodyRecorder bodies)
    {
        _context = context;
        _clientIp = clientIp;
        _bodies = bodies;
    }

    /// <summary>The client's body as read by a script, recorded; null while no script asked for it.</summary>
    public RecordedBody? RecordedBody => _body?.Recorded;

    /// <summary>How the request's scripts wait on I/O; made on first use, disposed with the request.</summary>
    public ScriptIoWaits Waits => _waits ??= new ScriptIoWaits(_context.RequestAborted);

    public string Method
    {
        get => _context.Request.Method;
        set => _context.Request.Method = string.IsNullOrWhiteSpace(value) ? throw new ArgumentException("A method cannot be empty.", nameof(value)) : value.ToUpperInvariant();
    }

    public string Scheme => _context.Request.Scheme;

    public string Host => _context.Request.Host.Host.ToLowerInvariant();

    public string Path
    {
        get => _context.Request.Path.Value ?? "/";
        set => _context.Request.Path = value is { Length: > 0 } && value[0] == '/' ? new PathString(value) : throw new ArgumentException("A path must start with '/'.", nameof(value));
    }

    /// <summary>Without the leading '?', as the script API specifies; a leading '?' on write is accepted.</summary>
    public string QueryString
    {
        get => _context.Request.QueryString.Value is { Length: > 1 } query ? query[1..] : string.Empty;
        set => _context.Request.QueryString = string.IsNullOrEmpty(value) ? Microsoft.AspNetCore.Http.QueryString.Empty : new QueryString(value[0] == '?' ? value : "?" + value);
    }

    public IScriptQuery Query => _query ??= new HttpScriptQuery(_context.Request);

    public IScriptHeaders Headers => _headers ??= new HttpScriptHeaders(_context.Request.Headers);

    public string ClientIp => _clientIp ?? string.Empty;

    public HttpBody Body => _body ??= new RecordedHttpBody(
        _bodies.Record(_context.Request.Body, _context.Request.ContentLength),
        Waits,
        _context.Request.ContentType);

    /// <summary>Ends what the request's scripts left: the recorded body, the waits' deadline.</summary>
    public void Release()
    {
        _body?.Recorded.Dispose();
        _waits?.Dispose();
    }
}
