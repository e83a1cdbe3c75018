using Slardar.Scriptable.Scripting.Api;

namespace Slardar.Scriptable.Scripting.Runtime;

/// <summary>
/// What the gateway hands one request's content script: its HTTP client, <c>ready_ok</c> and the
/// client's response, all bound to the request (its cancellation, its access-log entry) and, once
/// the script starts, to the invocation's budget (<see cref="Attach"/>), whose time stands still while
/// the script waits on them.
/// </summary>
internal interface IContentSession
{
    IScriptHttp Http { get; }

    IContentCheckups Checkups { get; }

    IScriptResponse Response { get; }

    /// <summary>Binds the session to the invocation's budget, on the script's thread as it starts.</summary>
    void Attach(ScriptBudget budget);
}
