namespace Slardar.Scriptable.Tests.Hostile;

/// <summary>
/// One thing a case does once its script is accepted, from the corpus manifest: a request to the
/// case's host (the default), lifting the quarantine, or posting a new version.
/// </summary>
internal sealed class HostileStep
{
    /// <summary>How many times the step runs in a row.</summary>
    public int Repeat { get; init; } = 1;

    /// <summary>Statuses the answer may have; every request step names them.</summary>
    public int[] Status { get; init; } = [];

    /// <summary>When the answer is an error (4xx/5xx), the <c>X-Error-Code</c> must be one of these; null does not check.</summary>
    public string[]? Codes { get; init; }

    /// <summary>Request path; "/" when null.</summary>
    public string? Path { get; init; }

    /// <summary>Request headers.</summary>
    public Dictionary<string, string>? Headers { get; init; }

    /// <summary>Text the answer's body must not contain (case-insensitive): the escape's effect.</summary>
    public string? Forbidden { get; init; }

    /// <summary>Headers the answer must not carry (injected ones).</summary>
    public string[]? AbsentHeaders { get; init; }

    /// <summary>The request must not reach the backend (a phase that fails must fail closed).</summary>
    public bool BackendUntouched { get; init; }

    /// <summary>Instead of a request: <c>DELETE /script/&lt;host&gt;/&lt;phase&gt;/quarantine</c>, which must answer 200.</summary>
    public bool Lift { get; init; }

    /// <summary>Instead of a request: GET this admin path, which must answer 200 and contain every one of <see cref="Contains"/>.</summary>
    public string? Admin { get; init; }

    /// <summary>Fragments (case-insensitive) the <see cref="Admin"/> answer must contain.</summary>
    public string[]? Contains { get; init; }

    /// <summary>Instead of a request: post this source as a new version of the case's script, which must be accepted.</summary>
    public string? Post { get; init; }

    public override string ToString() =>
        Lift ? "lift quarantine" : Post is not null ? "post a new version" : Admin is not null ? $"GET {Admin} contains [{string.Join(", ", Contains ?? [])}]" : $"GET {Path ?? "/"} x{Repeat} -> {string.Join('|', Status)} {string.Join('|', Codes ?? [])}";
}
