using System.Text.Json.Nodes;
using Slardar.Scriptable.Host.Consul;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// Admin answers for writes that went through Consul: 200 once live here, 202 when written but not
/// applied here within the wait, 409 on a check-and-set conflict, 503 when Consul could not be
/// written (nothing changed), 400 when this gateway refused the value it read back.
/// </summary>
internal static class ConsulWriteAnswers
{
    public static IResult For(ConsulWriteOutcome outcome, Func<JsonObject>? applied = null)
    {
        var details = new JsonObject { ["consul_index"] = outcome.Index };
        switch (outcome.Status)
        {
            case ConsulWriteStatus.Applied:
                foreach (var (key, value) in applied?.Invoke() ?? [])
                {
                    details[key] = value?.DeepClone();
                }

                return AdminJson.Ok(details);
            case ConsulWriteStatus.Pending:
                return AdminJson.Error(202, outcome.Message!, details);
            case ConsulWriteStatus.Conflict:
                return AdminJson.Error(409, outcome.Message!);
            case ConsulWriteStatus.Unavailable:
                return AdminJson.Error(503, outcome.Message!);
            default:
                return AdminJson.Error(400, outcome.Message!, details);
        }
    }
}
