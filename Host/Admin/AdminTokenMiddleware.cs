using System.Security.Cryptography;
using System.Text;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// With <c>Admin:Token</c> set, every admin call needs <c>Authorization: Bearer &lt;token&gt;</c>.
/// The comparison is over SHA-256 digests with a fixed-time compare, so neither the content nor
/// the length of the token leaks through timing.
/// </summary>
internal sealed class AdminTokenMiddleware
{
    private readonly RequestDelegate _next;
    private readonly byte[]? _expectedDigest;

    public AdminTokenMiddleware(RequestDelegate next, string? token)
    {
        _next = next;
        _expectedDigest = string.IsNullOrEmpty(token) ? null : SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (_expectedDigest is null || IsAuthorized(context.Request.Headers.Authorization.ToString()))
        {
            return _next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync("{\"status\":401,\"msg\":\"missing or wrong admin token: send Authorization: Bearer <Admin:Token>\"}");
    }

    private bool IsAuthorized(string header)
    {
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _expectedDigest);
    }
}
