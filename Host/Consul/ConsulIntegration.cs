namespace Slardar.Scriptable.Host.Consul;

/// <summary>
/// The gateway's link to Consul, registered whether or not <c>Consul:Address</c> is set so the admin
/// endpoints and start-up can ask one thing: with Consul off every part is null and nothing changes.
/// </summary>
internal sealed class ConsulIntegration
{
    public ConsulIntegration(ConsulSettings? settings, ConsulKvSync? sync, ConsulServiceDirectory? services, ConsulWriteThrough? writes)
    {
        Settings = settings;
        Sync = sync;
        Services = services;
        Writes = writes;
        Layout = new ConsulKvLayout(settings?.Prefix ?? ConsulSettings.DefaultPrefix);
    }

    public ConsulSettings? Settings { get; }

    public ConsulKvSync? Sync { get; }

    public ConsulServiceDirectory? Services { get; }

    /// <summary>Null without Consul: admin writes then go to the store directly, as before.</summary>
    public ConsulWriteThrough? Writes { get; }

    public ConsulKvLayout Layout { get; }

    /// <summary>At start, before the listeners open: read, apply and start watching (bounded; never fails for Consul's sake).</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (Sync is null || Services is null || Settings is null)
        {
            return;
        }

        await Sync.StartAsync(cancellationToken);

        // Upstreams defined by consul_service (from the store or from Consul) need their peers first.
        await Services.WaitForFirstAnswersAsync(Settings.Client.RequestTimeout, cancellationToken);
    }
}
