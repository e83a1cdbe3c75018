using System.Text.Json.Nodes;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// A change checked by this gateway before it goes to Consul: the key and value every gateway will
/// read, or the refusal to answer instead; <see cref="Details"/> adds to the answer once the change is live here.
/// </summary>
internal sealed record PreparedChange(string? Key, string? Value, IResult? Refusal, Func<JsonObject>? Details = null)
{
    public static PreparedChange Refused(IResult refusal) => new(null, null, refusal);
}
