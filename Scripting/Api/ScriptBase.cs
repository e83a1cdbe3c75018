using System.ComponentModel;
using System.Text.RegularExpressions;
using Slardar.Scriptable.Scripting.Runtime;

namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// What every script sees, whatever its phase. A script is the body of a method of a class generated
/// from this one's phase subclass; the gateway creates one instance per invocation (one small object)
/// and binds it to the request and to that invocation's budget, so nothing a script does is shared
/// with a concurrent request, and lambdas and awaits simply capture <c>this</c>.
/// </summary>
public abstract class ScriptBase
{
    private ScriptRequestContext? _context;
    private ScriptBudget? _budget;
    private IScriptConfig? _config;
    private IScriptServices? _services;
    private IScriptCache? _cache;
    private IScriptRedis? _redis;
    private IScriptLimit? _limit;

    // Only this assembly's phase classes derive from it directly.
    private protected ScriptBase()
    {
    }

    /// <summary>The request the script runs for.</summary>
    protected IScriptRequest Request => Context.Request;

    /// <summary>Per-request values shared by every phase of the request (like ngx.ctx).</summary>
    protected ScriptVars Vars => Context.Vars;

    /// <summary>The script's log; lines carry the script's host and phase.</summary>
    protected IScriptLog Log => Context.Log;

    /// <summary>Dynamic configuration (Consul's <c>config/&lt;key&gt;</c>): <c>Config["key"]</c> never waits; rewrite and auth may <c>await Config.GetAsync("key")</c>.</summary>
    protected IScriptConfig Config => _config ?? NoScriptConfig.Instance;

    /// <summary>The gateway's node-local caches: <c>await Cache.GetAsync("name", key, loader)</c> with its six states.</summary>
    protected IScriptCache Cache => _cache ??= Services.CacheFor(Budget);

    /// <summary>Redis (<c>Redis:Default</c>), and other configured connections as <c>Redis["name"]</c>; calls are bounded by the budget.</summary>
    protected IScriptRedis Redis => _redis ??= Services.RedisFor(Budget);

    /// <summary>Named rate limits, local or shared by every gateway on one Redis.</summary>
    protected IScriptLimit Limit => _limit ??= Services.LimitFor(Budget);

    /// <summary>Go on with the request; also what a script that falls off its end returns.</summary>
    protected static ScriptResult Next => ScriptResult.Next;

    internal ScriptRequestContext Context => _context ?? throw new InvalidOperationException("The script is not bound to a request.");

    /// <summary>
    /// Answers the request now. A code of four digits or more is an error code in Slardar's style
    /// (<c>slardar.exit(errno.X)</c>): status = its first three digits, header <c>X-Error-Code</c>,
    /// JSON body <c>{"code":..,"msg":..}</c> with <paramref name="body"/> as the message.
    /// </summary>
    protected static ScriptResult Exit(int code, string? body = null, string? contentType = null) =>
        ScriptResult.Exit(code, body, contentType);

    /// <summary>Inserted by the compiler in every loop body and before every <c>goto</c>; not for scripts.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void __Tick(int line) => Budget.Tick(line);

    /// <summary>Inserted by the compiler at the entry of every local function and lambda; not for scripts.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void __Enter(int line) => Budget.Enter(line);

    /// <summary>Inserted by the compiler (in a finally) at the exit of every local function and lambda; not for scripts.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void __Exit() => Budget.Exit();

    /// <summary>
    /// Inserted by the compiler on entry of the script itself, of every iterator and after each of an
    /// iterator's <c>yield return</c> (where a resumption starts); not for scripts. A tick, the depth
    /// limit and the stack guard, without counting a level: an iterator abandoned half-way would
    /// otherwise keep its level forever.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected void __Probe(int line)
    {
        Budget.Enter(line);
        Budget.Exit();
    }

    /// <summary>
    /// Inserted by the compiler as the match timeout of every <c>Regex</c> construction and static
    /// matching call; not for scripts. The script's remaining time (at least 1 ms, rounded up by at
    /// most an eighth) when its budget has a time limit, else the regex default (infinite). A timeout that ran out because of the budget
    /// comes back as a budget overrun (<c>ScriptFailures</c>); nothing is marked here.
    /// </summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected TimeSpan __RegexTimeout() => RegexTimeout(Budget.Remaining, Regex.InfiniteMatchTimeout);

    /// <summary>As <see cref="__RegexTimeout()"/>, for a call that named its own timeout: the smaller of the two.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    protected TimeSpan __RegexTimeout(TimeSpan requested) => RegexTimeout(Budget.Remaining, requested);

    internal static TimeSpan RegexTimeout(TimeSpan remaining, TimeSpan requested)
    {
        if (remaining == Timeout.InfiniteTimeSpan)
        {
            return requested;
        }

        // Rounded up to one of 8 steps per doubling (at most 1/8 more): the static methods' cache of
        // parsed patterns is keyed by the timeout too, and must keep hitting from request to request.
        // Regex accepts 1 ms up to int.MaxValue ms, or infinite.
        var ms = Math.Clamp(remaining.TotalMilliseconds, 1, int.MaxValue / 2);
        var step = Math.Max(1, 1L << Math.Max(0, (int)Math.Log2(ms) - 3));
        var bounded = TimeSpan.FromMilliseconds(Math.Ceiling(ms / step) * step);
        return requested == Regex.InfiniteMatchTimeout || requested > bounded ? bounded : requested;
    }

    private IScriptServices Services => _services ?? NoScriptServices.Instance;

    internal ScriptBudget Budget => _budget ?? throw new InvalidOperationException("The script is not bound to a budget.");

    internal void Bind(ScriptRequestContext context, ScriptBudget budget, IScriptConfig? config = null, IScriptServices? services = null)
    {
        _context = context;
        _budget = budget;
        _config = config;
        _services = services;
        OnBound();
    }

    /// <summary>After <see cref="Bind"/>, on the script's thread: a phase binds what it needs of the invocation.</summary>
    private protected virtual void OnBound()
    {
    }
}
