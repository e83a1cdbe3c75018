namespace Slardar.Scriptable.Scripting.Api;

/// <summary>The message of an error-code exit when the script gives none.</summary>
internal static class ReasonPhrases
{
    public static string For(int status) => status switch
    {
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        409 => "Conflict",
        412 => "Precondition Failed",
        415 => "Unsupported Media Type",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        < 400 => "OK",
        < 500 => "Client Error",
        _ => "Server Error",
    };
}
