using System.Text.Json.Nodes;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>Slardar's admin answers: <c>{"status":200}</c> or <c>{"status":400,"msg":"..."}</c>, with the same HTTP status.</summary>
internal static class AdminJson
{
    public static IResult Ok(JsonObject? extra = null)
    {
        var body = new JsonObject { ["status"] = 200 };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                body[key] = value?.DeepClone();
            }
        }

        return Results.Text(body.ToJsonString(), "application/json", statusCode: 200);
    }

    public static IResult Error(int status, string message, JsonObject? extra = null)
    {
        var body = new JsonObject { ["status"] = status, ["msg"] = message };
        if (extra is not null)
        {
            foreach (var (key, value) in extra)
            {
                body[key] = value?.DeepClone();
            }
        }

        return Results.Text(body.ToJsonString(), "application/json", statusCode: status);
    }

    public static IResult Document(JsonNode node, int status = 200) =>
        Results.Text(node.ToJsonString(), "application/json", statusCode: status);
}
