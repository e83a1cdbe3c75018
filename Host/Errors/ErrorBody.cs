using System.Text.Json.Serialization;

namespace Slardar.Scriptable.Host.Errors;

internal sealed record ErrorBody(
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("msg")] string Msg);
