using System.Globalization;
using System.Text.Json;

namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// What a script decided: go on (<see cref="Next"/>, the default value) or answer the request now
/// (<see cref="Exit"/>). A value type, so returning it from a synchronously completed
/// <c>ValueTask</c> allocates nothing.
/// </summary>
public readonly record struct ScriptResult
{
    private const string JsonContentType = "application/json";
    private const string TextContentType = "text/plain; charset=utf-8";

    private ScriptResult(int status, string? body, string? contentType, int? errorCode, UpstreamResponse? relayed = null)
    {
        Status = status;
        Body = body;
        ContentType = contentType;
        ErrorCode = errorCode;
        Relayed = relayed;
    }

    /// <summary>Go on with the request.</summary>
    public static ScriptResult Next => default;

    /// <summary>True when the script answers the request itself.</summary>
    public bool IsExit => Status != 0;

    /// <summary>The HTTP status to answer with; 0 for <see cref="Next"/>.</summary>
    public int Status { get; }

    /// <summary>The response body, or null for none.</summary>
    public string? Body { get; }

    /// <summary>The body's content type, or null when there is no body.</summary>
    public string? ContentType { get; }

    /// <summary>Slardar's error code (four digits or more) for the <c>X-Error-Code</c> header, or null.</summary>
    public int? ErrorCode { get; }

    /// <summary>A content script's <c>Respond(response)</c>: the upstream response the gateway streams to the client.</summary>
    internal UpstreamResponse? Relayed { get; }

    /// <summary>Answers with an upstream's response: status, end-to-end headers and body, streamed.</summary>
    internal static ScriptResult Relay(UpstreamResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        return new(response.Status, null, null, null, response);
    }

    /// <summary>
    /// Answers the request now. A 3-digit <paramref name="code"/> is the HTTP status (200-599) and
    /// <paramref name="body"/> goes out as given (text/plain unless <paramref name="contentType"/> says
    /// otherwise). A longer code is an error code as Slardar's <c>slardar.exit(errno.X)</c> has them: the
    /// status is its first three digits, the response carries <c>X-Error-Code: code</c> and the JSON body
    /// <c>{"code":code,"msg":body}</c> (the status's reason phrase when <paramref name="body"/> is null);
    /// <paramref name="contentType"/> is then ignored, the body being JSON.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The code does not give a status in 200-599.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="contentType"/> holds a control or non-ASCII character (it would split or break
    /// the response header), or a body is given for a 204 or 304, which cannot carry one.
    /// </exception>
    public static ScriptResult Exit(int code, string? body = null, string? contentType = null)
    {
        EnsureHeaderValue(contentType);
        if (code >= 1000)
        {
            var status = LeadingThreeDigits(code);
            EnsureStatus(status, code);
            EnsureBodyAllowed(status, code);
            var message = JsonEncodedText.Encode(body ?? ReasonPhrases.For(status));
            var json = string.Create(CultureInfo.InvariantCulture, $"{{\"code\":{code},\"msg\":\"{message}\"}}");
            return new(status, json, JsonContentType, code);
        }

        EnsureStatus(code, code);
        if (body is not null)
        {
            EnsureBodyAllowed(code, code);
        }

        return new(code, body, body is null ? null : contentType ?? TextContentType, null);
    }

    // Checked here, inside the script, so a bad value fails as the script's own error (500 with an
    // error id and the script's line) instead of breaking the response as it is written.
    private static void EnsureHeaderValue(string? contentType)
    {
        if (contentType is null)
        {
            return;
        }

        foreach (var c in contentType)
        {
            if (c is < ' ' and not '\t' or > '~')
            {
                throw new ArgumentException(
                    "The content type must be printable ASCII: no control characters (CR, LF), no characters beyond ASCII.",
                    nameof(contentType));
            }
        }
    }

    private static void EnsureBodyAllowed(int status, int code)
    {
        if (status is 204 or 304)
        {
            throw new ArgumentException($"A {status} answer cannot carry a body (code {code}).", nameof(code));
        }
    }

    private static int LeadingThreeDigits(int code)
    {
        while (code >= 1000)
        {
            code /= 10;
        }

        return code;
    }

    private static void EnsureStatus(int status, int code)
    {
        if (status is < 200 or > 599)
        {
            throw new ArgumentOutOfRangeException(
                nameof(code),
                code,
                "Exit takes an HTTP status (200-599) or an error code whose first three digits are one.");
        }
    }
}
