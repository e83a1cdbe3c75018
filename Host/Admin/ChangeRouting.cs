using Slardar.Scriptable.Host.Consul;

namespace Slardar.Scriptable.Host.Admin;

/// <summary>
/// Where an admin change goes, decided in one place for every writing endpoint: with Consul writing
/// through, the change is checked here, written to Consul and applied on every gateway (this one
/// included) from there; without it, it is applied here, to the store.
/// </summary>
internal static class ChangeRouting
{
    /// <param name="prepare">Checks the change and gives the Consul key and value to write.</param>
    /// <param name="applyHere">Applies the change to this gateway alone.</param>
    /// <param name="localOnly">A change that never leaves this gateway (a dry run).</param>
    public static async Task<IResult> PutAsync(
        ConsulIntegration consul,
        HttpContext context,
        Func<Task<PreparedChange>> prepare,
        Func<Task<IResult>> applyHere,
        bool localOnly = false)
    {
        if (localOnly || consul.Writes is not { } writes)
        {
            return await applyHere();
        }

        var prepared = await prepare();
        if (prepared.Refusal is not null)
        {
            return prepared.Refusal;
        }

        var outcome = await writes.PutAsync(prepared.Key!, prepared.Value!, UpstreamEndpoints.Actor(context), context.RequestAborted);
        return ConsulWriteAnswers.For(outcome, prepared.Details);
    }

    /// <summary>A delete goes to Consul when Consul holds the key; what it does not hold (configuration, older entries) is deleted here.</summary>
    public static async Task<IResult> DeleteAsync(ConsulIntegration consul, string consulKey, HttpContext context, Func<Task<IResult>> deleteHere)
    {
        if (consul.Writes is { } writes && writes.Holds(consulKey))
        {
            return ConsulWriteAnswers.For(await writes.DeleteAsync(consulKey, UpstreamEndpoints.Actor(context), context.RequestAborted));
        }

        return await deleteHere();
    }
}
