namespace Slardar.Scriptable.Host.Consul;

/// <summary>How an admin write through Consul ended.</summary>
internal enum ConsulWriteStatus
{
    /// <summary>Written to Consul and live on this gateway.</summary>
    Applied,

    /// <summary>Written to Consul; this gateway's watch had not applied it when the wait ran out.</summary>
    Pending,

    /// <summary>The key changed in Consul since this gateway read it: nothing was written.</summary>
    Conflict,

    /// <summary>Consul could not be asked: nothing was written.</summary>
    Unavailable,

    /// <summary>Written to Consul, but this gateway refused the value when it applied it.</summary>
    Rejected,
}
