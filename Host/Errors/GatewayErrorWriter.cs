using System.Text.Json;

namespace Slardar.Scriptable.Host.Errors;

/// <summary>Writes a <see cref="GatewayError"/> as the response: status, <c>X-Error-Code</c>, JSON body.</summary>
internal static class GatewayErrorWriter
{
    public const string ErrorCodeHeader = "X-Error-Code";

    /// <summary>Answers with <paramref name="error"/> unless the response already started.</summary>
    public static Task WriteAsync(HttpContext context, GatewayError error, string? detail = null)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return Task.CompletedTask;
        }

        response.Clear();
        response.StatusCode = error.Status;
        response.Headers[ErrorCodeHeader] = error.Code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        response.ContentType = "application/json";
        var body = new ErrorBody(error.Status, error.Code, detail is null ? error.Message : $"{error.Message}: {detail}");
        return response.WriteAsync(JsonSerializer.Serialize(body, ErrorJsonContext.Default.ErrorBody), context.RequestAborted);
    }
}
