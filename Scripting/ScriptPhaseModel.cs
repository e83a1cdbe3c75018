namespace Slardar.Scriptable.Scripting;

/// <summary>
/// What defines one script phase: its name (in the admin API, file names, Consul keys and
/// scripts.json), how it runs, what the script sees and where in a request it runs. Read from
/// <see cref="ScriptPhases"/>, never written out elsewhere.
/// </summary>
/// <param name="Phase">The enum value; also the phase's index in <see cref="ScriptPhases.All"/>.</param>
/// <param name="Name">Lower-case name: <c>POST /script/&lt;host&gt;/&lt;name&gt;</c>, <c>Scripts/&lt;host&gt;/&lt;name&gt;.csx</c>.</param>
/// <param name="Stage">Where in the request's flow it runs.</param>
/// <param name="IsAsync">The script may <c>await</c>, or runs synchronously (balancer_by_lua cannot yield either).</param>
/// <param name="BaseClass">The <c>Api</c> class the generated script derives from: what the script sees.</param>
/// <param name="RunsWhere">When it runs, in the words the admin API and docs use.</param>
internal sealed record ScriptPhaseModel(ScriptPhase Phase, string Name, ScriptStage Stage, bool IsAsync, string BaseClass, string RunsWhere);
