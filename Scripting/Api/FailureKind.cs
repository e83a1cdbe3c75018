namespace Slardar.Scriptable.Scripting.Api;

/// <summary>How a try ended, in nginx's balancer vocabulary (ngx.balancer.get_last_failure).</summary>
public enum FailureKind
{
    /// <summary>Connect error, timeout, or a configured next-upstream status: held against the peer.</summary>
    Failed,

    /// <summary>A next-upstream condition that is not the peer's fault (e.g. 403, 404).</summary>
    Next,
}
