namespace Slardar.Scriptable.Scripting.Api;

/// <summary>
/// The response a spec block received, as its <c>--- response_eval</c> assertions see it:
/// <c>Response.Status == 200</c>, <c>Response.Headers["X-Cache"] == "HIT"</c>, <c>Response.Json["n"] == 3</c>.
/// </summary>
public sealed class SpecResponse
{
    /// <summary>The key under which the spec runner hands the response to the assertions' script.</summary>
    public const string VarName = "spec.response";

    private SpecJson? _json;

    public SpecResponse(int status, IReadOnlyDictionary<string, string> headers, string body)
    {
        Status = status;
        Headers = new Dictionary<string, string>(headers, StringComparer.OrdinalIgnoreCase);
        Body = body;
    }

    public int Status { get; }

    /// <summary>Response headers by name (any case); values of a repeated header joined with ", ".</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    public string Body { get; }

    /// <summary>The body parsed as JSON; <see cref="SpecJson.Missing"/> when it is not JSON.</summary>
    public SpecJson Json => _json ??= SpecJson.Parse(Body);

    /// <summary>The response the runner put in <paramref name="vars"/>.</summary>
    public static SpecResponse From(ScriptVars vars)
    {
        ArgumentNullException.ThrowIfNull(vars);
        return vars.TryGet<SpecResponse>(VarName, out var response) ? response : new SpecResponse(0, new Dictionary<string, string>(), string.Empty);
    }
}
