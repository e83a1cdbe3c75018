namespace Slardar.Scriptable.Scripting.Api;

/// <summary>The request as a script sees it. Changes made in rewrite are what the upstream receives.</summary>
public interface IScriptRequest
{
    /// <summary>HTTP method, upper case as sent (GET, POST, DELETE, ...).</summary>
    string Method { get; set; }

    /// <summary>"http" or "https", as the client connected.</summary>
    string Scheme { get; }

    /// <summary>Host name from the Host header, lower case and without the port (nginx's $host).</summary>
    string Host { get; }

    /// <summary>The path, starting with '/', not decoded beyond what the server does.</summary>
    string Path { get; set; }

    /// <summary>The raw query string without the leading '?' (nginx's $args); empty when there is none.</summary>
    string QueryString { get; set; }

    /// <summary>Query arguments parsed from <see cref="QueryString"/>.</summary>
    IScriptQuery Query { get; }

    /// <summary>Request headers, read and write.</summary>
    IScriptHeaders Headers { get; }

    /// <summary>The client's address as the gateway saw it (no X-Forwarded-For interpretation).</summary>
    string ClientIp { get; }

    /// <summary>
    /// The client's request body: read it (<c>ReadAsStringAsync(maxBytes)</c>) or send it on to
    /// upstreams in a content script. It is read from the client once; every further reader (a retry,
    /// a second upstream, the proxy) gets the bytes kept while it streamed, up to the replay limit.
    /// </summary>
    HttpBody Body { get; }
}
