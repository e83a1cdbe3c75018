namespace Slardar.Scriptable.Tests.Hostile;

/// <summary>
/// One script of the hostile corpus and what must happen to it (an entry of Corpus/manifest.json).
/// <see cref="Refused"/> and <see cref="Run"/> are the outcomes allowed: only <see cref="Refused"/>:
/// the admin API must answer 400; only <see cref="Run"/>: it must accept the script and the steps
/// must hold; both: either is right (a guard rail may stop it at compile time or at run time).
/// </summary>
internal sealed class HostileCase
{
    public string Id { get; init; } = "";

    /// <summary>The .csx, relative to the corpus folder; its header comment says what it tries.</summary>
    public string File { get; init; } = "";

    public string Phase { get; init; } = "rewrite";

    /// <summary>Posts with <c>?dry_run=true</c> (a compile that must not disturb the process even when nothing is activated).</summary>
    public bool DryRun { get; init; }

    /// <summary>The big part of the source, generated (compiler bombs).</summary>
    public HostileSourceGenerator? Generate { get; init; }

    /// <summary>When refusing is right: the 400's msg or diagnostics contain at least one of these (case-insensitive).</summary>
    public string[]? Refused { get; init; }

    /// <summary>When running is right: what the requests must answer.</summary>
    public HostileStep[]? Run { get; init; }

    /// <summary>Bound on what the gateway writes to its standard output and error during the case (log floods).</summary>
    public long? MaxLogBytes { get; init; }

    /// <summary>Bound on the gateway's peak resident memory above its resident memory before the case, in MiB.</summary>
    public long? MaxPeakGrowthMb { get; init; }

    /// <summary>The case's own host: nothing a case does lands on another case's host.</summary>
    public string Host => $"{Id}.hostile.test";

    public string Source(string corpusFolder)
    {
        var text = System.IO.File.ReadAllText(System.IO.Path.Combine(corpusFolder, File));
        return Generate is null ? text : text + "\n" + Generate.Generate();
    }

    /// <summary>The header's first line: what the case tries, for failure messages.</summary>
    public string Summary(string corpusFolder) =>
        System.IO.File.ReadLines(System.IO.Path.Combine(corpusFolder, File)).FirstOrDefault()?.TrimStart('/', ' ') ?? Id;

    public override string ToString() => Id;
}
