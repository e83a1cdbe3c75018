namespace Slardar.Scriptable.Host.Services.Limits;

/// <summary>Where a limit counts: in this gateway, or across every gateway sharing <c>Redis:Default</c>.</summary>
internal enum LimitScope
{
    Local,
    Cluster,
}
