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

    /// <param name="clientIp">The client's address as the request already formatted it.</param>
    public HttpScriptRequest(HttpContext context, string? clientIp)
    {
        _context = context;
        _clientIp = clientIp;
    }

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
}
