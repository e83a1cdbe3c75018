namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary>What a host's declarative limit counts by (<c>"key"</c>).</summary>
internal enum LimitKeyKind
{
    /// <summary>The client's IP address (the default).</summary>
    Ip,

    /// <summary>The request's host.</summary>
    Host,

    /// <summary>A request header's value (<c>"header:X-Api-Key"</c>); requests without it share one bucket.</summary>
    Header,

    /// <summary>The scripts.json binding the request matched: one bucket for the whole route.</summary>
    Route,
}
